package io.mmipc.value;

import io.mmipc.WaitMode;
import io.mmipc.internal.file.SharedFile;
import io.mmipc.internal.mem.MappedMemory;

import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.ToIntFunction;
import java.util.function.UnaryOperator;

/**
 * What every array builder shares: a length or initial contents at creation, the length checked on open.
 * Each array type only says how to write its elements.
 *
 * @param <V> the array type built
 * @param <B> the concrete builder
 * @param <C> the Java array type of the contents ({@code int[]}, ...)
 */
public abstract class ArrayBuilder<V, B extends ArrayBuilder<V, B, C>, C> extends ValueBuilder<V, B> {
    private final int kind;
    private final UnaryOperator<C> copy;
    private final ToIntFunction<C> lengthOf;
    private int length = -1;
    private C contents;

    ArrayBuilder(String name, int kind, BiFunction<SharedFile, WaitMode, V> factory, UnaryOperator<C> copy,
                 ToIntFunction<C> lengthOf) {
        super(name, kind, true, factory);
        this.kind = kind;
        this.copy = copy;
        this.lengthOf = lengthOf;
    }

    /**
     * The number of elements, all zero at creation. On open, if set, it must match the file.
     *
     * @param n the number of elements, 0 or more
     * @return this builder
     */
    public B length(int n) {
        this.length = checkLength(kind, n);
        this.contents = null;
        return self();
    }

    /**
     * The elements at creation (copied now); sets the length. Ignored on open except for the length.
     *
     * @param values the elements at creation (copied)
     * @return this builder
     */
    public B contents(C values) {
        Objects.requireNonNull(values, "values");
        this.length = checkLength(kind, lengthOf.applyAsInt(values));
        this.contents = copy.apply(values);
        return self();
    }

    @Override
    final int createLength() {
        if (length < 0) {
            throw lengthRequired();
        }
        return length;
    }

    @Override
    final int requestedLength() {
        return length;
    }

    @Override
    final void init(MappedMemory memory) {
        if (contents != null) {
            write(memory, contents);
        }
    }

    /** Writes the initial contents into a new array's data area. */
    abstract void write(MappedMemory memory, C values);
}
