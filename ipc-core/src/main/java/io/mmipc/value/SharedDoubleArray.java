package io.mmipc.value;

import io.mmipc.WaitMode;
import io.mmipc.internal.file.SharedFile;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.sync.ValueLayout;

import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.DoubleUnaryOperator;

/**
 * Python's {@code multiprocessing.Array('d', n)} for Java: a fixed-length {@code double} array shared by
 * processes, with atomic operations on each element's raw bits (compare-and-set compares bit patterns, as in
 * {@link SharedDouble}), bulk copies, and,
 * unless created with {@code lock(false)}, its own reentrant lock ({@link #getLock()}). Indices are
 * checked: a bad one throws {@link IndexOutOfBoundsException} naming the array, the index and the length.
 *
 * <p>Single-element reads and writes are volatile and the atomic methods need no lock. Bulk copies
 * ({@link #copyTo}, {@link #copyFrom}, {@link #toArray}) read or write each element atomically but not the
 * range as a whole: hold the lock (in every process that writes) for a consistent snapshot, as with
 * Python's {@code arr[:]}.
 *
 * Layout: see {@code io.mmipc.internal.sync.ValueLayout}.
 */
public final class SharedDoubleArray extends ValueHandle {
    private static final int KIND = ValueLayout.DOUBLE;

    private SharedDoubleArray(SharedFile file, WaitMode mode) {
        super(file, mode);
    }

    /**
     * Starts building an array named {@code name}: then {@code length(n)} or {@code contents(values)}, and
     * {@code create()}, {@code open()} or {@code openOrCreate()}.
     *
     * @param name the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @return the builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Creates an array (with a lock) of {@code length} zeros in the default folder.
     *
     * @param name the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @param length the number of elements, 0 or more
     * @return a handle on the new array
     * @throws IOException if the file cannot be created or mapped ({@link java.nio.file.FileAlreadyExistsException} if
     *                     the name is taken)
     */
    public static SharedDoubleArray create(String name, int length) throws IOException {
        return builder(name).length(length).create();
    }

    /**
     * Creates an array (with a lock) holding a copy of {@code contents} in the default folder.
     *
     * @param name the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @param contents the elements at creation (copied)
     * @return a handle on the new array
     * @throws IOException if the file cannot be created or mapped ({@link java.nio.file.FileAlreadyExistsException} if
     *                     the name is taken)
     */
    public static SharedDoubleArray create(String name, double[] contents) throws IOException {
        return builder(name).contents(contents).create();
    }

    /**
     * Opens an existing array in the default folder.
     *
     * @param name the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @return a handle on the array
     * @throws IOException if the file cannot be opened or mapped, or is not such an object ({@link
     *                     java.nio.file.NoSuchFileException} if there is none)
     */
    public static SharedDoubleArray open(String name) throws IOException {
        return builder(name).open();
    }

    /** {@return the number of elements (fixed at creation; Python's {@code len(arr)})} */
    public int length() {
        return length;
    }

    /**
     * {@return element {@code index} (Python's {@code arr[i]})}
     *
     * @param index the element's index, from 0 to {@code length() - 1}
     */
    public double get(int index) {
        file.enter();
        try {
            return Double.longBitsToDouble(memory.getLongVolatile(at(KIND, index)));
        } finally {
            file.exit();
        }
    }

    /**
     * Sets element {@code index} (Python's {@code arr[i] = v}).
     *
     * @param index the element's index, from 0 to {@code length() - 1}
     * @param value the new value
     */
    public void set(int index, double value) {
        file.enter();
        try {
            memory.putLongVolatile(at(KIND, index), Double.doubleToRawLongBits(value));
        } finally {
            file.exit();
        }
    }

    /**
     * Sets element {@code index} and returns its old value, atomically.
     *
     * @param index the element's index, from 0 to {@code length() - 1}
     * @param value the new value
     * @return the old value
     */
    public double getAndSet(int index, double value) {
        file.enter();
        try {
            long at = at(KIND, index);
            long bits = Double.doubleToRawLongBits(value);
            long v;
            do {
                v = memory.getLongVolatile(at);
            } while (!memory.compareAndSetLong(at, v, bits));
            return Double.longBitsToDouble(v);
        } finally {
            file.exit();
        }
    }

    /**
     * Sets element {@code index} to {@code value} if its bits equal those of {@code expected}, atomically;
     * true if it did.
     *
     * @param index the element's index, from 0 to {@code length() - 1}
     * @param expected the value it must hold now
     * @param value the value to store
     * @return true if it was set, false if it held another value
     */
    public boolean compareAndSet(int index, double expected, double value) {
        file.enter();
        try {
            return memory.compareAndSetLong(at(KIND, index), Double.doubleToRawLongBits(expected),
                    Double.doubleToRawLongBits(value));
        } finally {
            file.exit();
        }
    }

    /**
     * Adds {@code delta} to element {@code index} atomically; returns the old value.
     *
     * @param index the element's index, from 0 to {@code length() - 1}
     * @param delta the amount to add (negative to subtract)
     * @return the old value
     */
    public double getAndAdd(int index, double delta) {
        file.enter();
        try {
            long at = at(KIND, index);
            long v;
            do {
                v = memory.getLongVolatile(at);
            } while (!memory.compareAndSetLong(at, v, Double.doubleToRawLongBits(Double.longBitsToDouble(v) + delta)));
            return Double.longBitsToDouble(v);
        } finally {
            file.exit();
        }
    }

    /**
     * Adds {@code delta} to element {@code index} atomically; returns the new value.
     *
     * @param index the element's index, from 0 to {@code length() - 1}
     * @param delta the amount to add (negative to subtract)
     * @return the new value
     */
    public double addAndGet(int index, double delta) {
        return updateAndGet(index, v -> v + delta);
    }

    /**
     * Applies {@code update} to element {@code index} atomically; returns the new value.
     *
     * @param index the element's index, from 0 to {@code length() - 1}
     * @param update a side-effect-free function of the current value (it may run more than once)
     * @return the new value
     */
    public double updateAndGet(int index, DoubleUnaryOperator update) {
        file.enter();
        try {
            long at = at(KIND, index);
            long v;
            double next;
            do {
                v = memory.getLongVolatile(at);
                next = update.applyAsDouble(Double.longBitsToDouble(v));
            } while (!memory.compareAndSetLong(at, v, Double.doubleToRawLongBits(next)));
            return next;
        } finally {
            file.exit();
        }
    }

    /**
     * Copies {@code count} elements from {@code index} into {@code dst} at {@code dstOffset} (Python's
     * {@code arr[index:index+count]}).
     *
     * @param index the element's index, from 0 to {@code length() - 1}
     * @param dst the array that receives the elements
     * @param dstOffset the index in {@code dst} of the first element received
     * @param count the number of elements to copy
     * @throws IndexOutOfBoundsException if either range is out of bounds (nothing is copied)
     */
    public void copyTo(int index, double[] dst, int dstOffset, int count) {
        file.enter();
        try {
            Objects.requireNonNull(dst, "dst");
            checkRange(index, count, dstOffset, dst.length);
            MappedMemory.fullFence();
            long at = ValueLayout.offset(KIND, index);
            for (int i = 0; i < count; i++, at += 8) {
                dst[dstOffset + i] = Double.longBitsToDouble(memory.getLong(at));
            }
        } finally {
            file.exit();
        }
    }

    /**
     * Copies {@code count} elements of {@code src} from {@code srcOffset} into this array at {@code index}
     * (Python's {@code arr[index:index+count] = src}), then fences so that they are visible to other
     * processes.
     *
     * @param src the elements to copy
     * @param srcOffset the index in {@code src} of the first element to copy
     * @param index the element's index, from 0 to {@code length() - 1}
     * @param count the number of elements to copy
     * @throws IndexOutOfBoundsException if either range is out of bounds (nothing is copied)
     */
    public void copyFrom(double[] src, int srcOffset, int index, int count) {
        file.enter();
        try {
            Objects.requireNonNull(src, "src");
            checkRange(index, count, srcOffset, src.length);
            long at = ValueLayout.offset(KIND, index);
            for (int i = 0; i < count; i++, at += 8) {
                memory.putLong(at, Double.doubleToRawLongBits(src[srcOffset + i]));
            }
            MappedMemory.fullFence();
        } finally {
            file.exit();
        }
    }

    /** {@return a copy of every element (Python's {@code arr[:]})} */
    public double[] toArray() {
        double[] copy = new double[length];
        copyTo(0, copy, 0, length);
        return copy;
    }

    @Override
    public String toString() {
        return describe(file.isClosed() ? "" : Arrays.toString(toArray()));
    }

    /** Builds a {@link SharedDoubleArray}: its length or contents, plus the settings of {@link ValueBuilder}. */
    public static final class Builder extends ArrayBuilder<SharedDoubleArray, Builder, double[]> {
        Builder(String name) {
            super(name, KIND, SharedDoubleArray::new, double[]::clone, a -> a.length);
        }

        @Override
        void write(MappedMemory memory, double[] values) {
            for (int i = 0; i < values.length; i++) {
                memory.putLong(ValueLayout.offset(KIND, i), Double.doubleToRawLongBits(values[i]));
            }
        }
    }
}
