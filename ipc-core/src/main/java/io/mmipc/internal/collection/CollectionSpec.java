package io.mmipc.internal.collection;

import io.mmipc.ObjectFileException;
import io.mmipc.WaitMode;
import io.mmipc.internal.file.ObjectType;
import io.mmipc.internal.file.SharedFile;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.proc.RandomIds;
import io.mmipc.internal.sync.BasicSpec;

import java.util.function.BiFunction;

/**
 * How a map or list file is created and checked on open: two parameters (the bytes of each stripe's heap
 * segment 0, the number of stripes), each stripe's initial control words, and size checks.
 *
 * @param <T> the handle type built
 */
public final class CollectionSpec<T> extends BasicSpec<T> {
    private final ObjectType type;
    private final int stripes;
    private final long segment0;
    private final BiFunction<SharedFile, WaitMode, T> factory;

    /**
     * @param type     {@link ObjectType#MAP} or {@link ObjectType#LIST}
     * @param stripes  stripes at creation (checked by {@link #checkStripes}; 1 for a list)
     * @param segment0 bytes of each stripe's heap segment 0 at creation (checked by {@link #checkSegment0})
     * @param factory  makes the handle over the open file
     */
    public CollectionSpec(ObjectType type, int stripes, long segment0, BiFunction<SharedFile, WaitMode, T> factory) {
        super(type, CollectionLayout.VERSION, CollectionLayout.fileSize(stripes, segment0));
        if (type != ObjectType.MAP && stripes != 1) {
            throw new IllegalArgumentException(type.label() + ": only a map has stripes: stripes=" + stripes);
        }
        this.type = type;
        this.stripes = stripes;
        this.segment0 = segment0;
        this.factory = factory;
    }

    /**
     * Rounds a requested initial size up to a valid segment 0.
     *
     * @throws IllegalArgumentException if it is out of range
     */
    public static long checkSegment0(long bytes) {
        if (bytes < 0 || bytes > CollectionLayout.MAX_SEGMENT_BYTES) {
            throw new IllegalArgumentException("initial bytes out of range [0, " + CollectionLayout.MAX_SEGMENT_BYTES
                    + "]: initialBytes=" + bytes);
        }
        long b = Math.max(bytes, CollectionLayout.MIN_SEGMENT0);
        return Long.highestOneBit(b - 1) << 1;
    }

    /**
     * Checks a requested number of stripes.
     *
     * @return {@code n}
     * @throws IllegalArgumentException if it is not a power of two from 1 to {@link CollectionLayout#MAX_STRIPES}
     */
    public static int checkStripes(int n) {
        if (n < 1 || n > CollectionLayout.MAX_STRIPES || (n & (n - 1)) != 0) {
            throw new IllegalArgumentException("stripes must be a power of two from 1 to "
                    + CollectionLayout.MAX_STRIPES + ": stripes=" + n);
        }
        return n;
    }

    @Override
    public long[] params() {
        long[] p = new long[2];
        p[CollectionLayout.P_SEGMENT0] = segment0;
        p[CollectionLayout.P_STRIPES] = stripes;
        return p;
    }

    @Override
    public void init(MappedMemory memory) {
        for (int i = 0; i < stripes; i++) {
            Heap.init(memory, CollectionLayout.control(i), RandomIds.nextLong());
        }
    }

    @Override
    public void validate(SharedFile file) throws ObjectFileException {
        long s0 = file.param(CollectionLayout.P_SEGMENT0);
        SharedFile.check(s0 >= CollectionLayout.MIN_SEGMENT0 && s0 <= CollectionLayout.MAX_SEGMENT_BYTES
                && (s0 & (s0 - 1)) == 0, file.path(), "corrupt " + type.label() + " header: segment0=" + s0);
        long n = file.param(CollectionLayout.P_STRIPES);
        long maxStripes = type == ObjectType.MAP ? CollectionLayout.MAX_STRIPES : 1;
        SharedFile.check(n >= 1 && n <= maxStripes && (n & (n - 1)) == 0, file.path(),
                "corrupt " + type.label() + " header: stripes=" + n);
        long size = CollectionLayout.fileSize((int) n, s0);
        SharedFile.check(file.memory().size() == size, file.path(), "corrupt " + type.label()
                + " header: size=" + file.memory().size() + ", expected=" + size);
        for (int i = 0; i < n; i++) {
            long segments = file.memory().getLongVolatile(CollectionLayout.control(i) + CollectionLayout.SEGMENTS);
            SharedFile.check(segments >= 1 && segments <= CollectionLayout.MAX_SEGMENTS, file.path(), "corrupt "
                    + type.label() + " control block of stripe " + i + ": segments=" + segments);
        }
    }

    @Override
    public T make(SharedFile file, WaitMode mode) {
        return factory.apply(file, mode);
    }
}
