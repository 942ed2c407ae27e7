package io.mmipc.value;

import io.mmipc.WaitMode;
import io.mmipc.internal.file.SharedFile;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.sync.ValueLayout;

import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.IntUnaryOperator;

/**
 * Python's {@code multiprocessing.Array('i', n)} for Java: a fixed-length {@code int} array shared by
 * processes, with {@link java.util.concurrent.atomic.AtomicIntegerArray}'s operations, bulk copies, and,
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
public final class SharedIntArray extends ValueHandle {
    private static final int KIND = ValueLayout.INT;

    private SharedIntArray(SharedFile file, WaitMode mode) {
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
    public static SharedIntArray create(String name, int length) throws IOException {
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
    public static SharedIntArray create(String name, int[] contents) throws IOException {
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
    public static SharedIntArray open(String name) throws IOException {
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
    public int get(int index) {
        file.enter();
        try {
            return memory.getIntVolatile(at(KIND, index));
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
    public void set(int index, int value) {
        file.enter();
        try {
            memory.putIntVolatile(at(KIND, index), value);
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
    public int getAndSet(int index, int value) {
        file.enter();
        try {
            long at = at(KIND, index);
            int v;
            do {
                v = memory.getIntVolatile(at);
            } while (!memory.compareAndSetInt(at, v, value));
            return v;
        } finally {
            file.exit();
        }
    }

    /**
     * Sets element {@code index} to {@code value} if it is {@code expected}, atomically; true if it did.
     *
     * @param index the element's index, from 0 to {@code length() - 1}
     * @param expected the value it must hold now
     * @param value the value to store
     * @return true if it was set, false if it held another value
     */
    public boolean compareAndSet(int index, int expected, int value) {
        file.enter();
        try {
            return memory.compareAndSetInt(at(KIND, index), expected, value);
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
    public int getAndAdd(int index, int delta) {
        file.enter();
        try {
            return memory.getAndAddInt(at(KIND, index), delta);
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
    public int addAndGet(int index, int delta) {
        file.enter();
        try {
            return memory.getAndAddInt(at(KIND, index), delta) + delta;
        } finally {
            file.exit();
        }
    }

    /**
     * Adds one to element {@code index} atomically; returns the new value.
     *
     * @param index the element's index, from 0 to {@code length() - 1}
     * @return the new value
     */
    public int incrementAndGet(int index) {
        return addAndGet(index, 1);
    }

    /**
     * Subtracts one from element {@code index} atomically; returns the new value.
     *
     * @param index the element's index, from 0 to {@code length() - 1}
     * @return the new value
     */
    public int decrementAndGet(int index) {
        return addAndGet(index, -1);
    }

    /**
     * Applies {@code update} to element {@code index} atomically; returns the new value.
     *
     * @param index the element's index, from 0 to {@code length() - 1}
     * @param update a side-effect-free function of the current value (it may run more than once)
     * @return the new value
     */
    public int updateAndGet(int index, IntUnaryOperator update) {
        file.enter();
        try {
            long at = at(KIND, index);
            int v;
            int next;
            do {
                v = memory.getIntVolatile(at);
                next = update.applyAsInt(v);
            } while (!memory.compareAndSetInt(at, v, next));
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
    public void copyTo(int index, int[] dst, int dstOffset, int count) {
        file.enter();
        try {
            Objects.requireNonNull(dst, "dst");
            checkRange(index, count, dstOffset, dst.length);
            MappedMemory.fullFence();
            long at = ValueLayout.offset(KIND, index);
            for (int i = 0; i < count; i++, at += 4) {
                dst[dstOffset + i] = memory.getInt(at);
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
    public void copyFrom(int[] src, int srcOffset, int index, int count) {
        file.enter();
        try {
            Objects.requireNonNull(src, "src");
            checkRange(index, count, srcOffset, src.length);
            long at = ValueLayout.offset(KIND, index);
            for (int i = 0; i < count; i++, at += 4) {
                memory.putInt(at, src[srcOffset + i]);
            }
            MappedMemory.fullFence();
        } finally {
            file.exit();
        }
    }

    /** {@return a copy of every element (Python's {@code arr[:]})} */
    public int[] toArray() {
        int[] copy = new int[length];
        copyTo(0, copy, 0, length);
        return copy;
    }

    @Override
    public String toString() {
        return describe(file.isClosed() ? "" : Arrays.toString(toArray()));
    }

    /** Builds a {@link SharedIntArray}: its length or contents, plus the settings of {@link ValueBuilder}. */
    public static final class Builder extends ArrayBuilder<SharedIntArray, Builder, int[]> {
        Builder(String name) {
            super(name, KIND, SharedIntArray::new, int[]::clone, a -> a.length);
        }

        @Override
        void write(MappedMemory memory, int[] values) {
            for (int i = 0; i < values.length; i++) {
                memory.putInt(ValueLayout.offset(KIND, i), values[i]);
            }
        }
    }
}
