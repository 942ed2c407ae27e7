package io.mmipc.internal.collection;

import io.mmipc.WaitMode;
import io.mmipc.internal.file.SharedFile;


import static io.mmipc.internal.collection.CollectionLayout.*;

/**
 * A list of encoded elements in a {@link Heap}: an array block of ref words named by the root. Reads are
 * lock-free; writes hold the robust lock and commit with one release store (see {@link CollectionLayout}):
 * an append stores the new element's ref past the end, then release-stores the array's length; a set
 * release-stores one ref; an insertion or removal in the middle builds a new array and release-stores the
 * root.
 */
public final class ListStore extends HeapStore {
    private static final long MIN_CAPACITY = 16;
    /** Index for {@link #add}: append at the end, whatever the length is then. */
    public static final int APPEND = -1;
    /** Largest length: the array block must fit in the largest block. */
    public static final long MAX_LENGTH = Math.min(Integer.MAX_VALUE - 8, (MAX_BLOCK_BYTES - A_REFS) / 8);

    /**
     * @param file the list's open file
     * @param mode the resolved wait mode for the writers' lock
     */
    public ListStore(SharedFile file, WaitMode mode) {
        super(file, mode, 0);
    }

    // ---------------------------------------------------------------- lock-free reads

    /** @return the number of elements (exact: the length word is the commit point of an append) */
    public int size() {
        return read(() -> {
            // Acquire: pairs with the release of the root, so the array it names is complete.
            long root = control.getLongAcquire(ctl + ROOT);
            if (root == EMPTY) {
                return 0;
            }
            long stamp = heap.stampFor(root);
            long length = length(offset(root));
            heap.validate(root, stamp);
            return (int) length;
        });
    }

    /** Reads the array's length, checking it against its capacity and block size (RETRY if impossible). */
    private long length(long a) {
        long cap = heap.readLong(a + A_CAPACITY);
        long bytes = heap.readInt(a + B_BYTES) & 0xFFFF_FFFFL;
        // Acquire: pairs with the appender's release of the length, so the refs below it are visible.
        long length = heap.readLongAcquire(a + A_LENGTH);
        if (cap < 0 || A_REFS + cap * 8 > bytes || length < 0 || length > cap) {
            throw Heap.RETRY;
        }
        return length;
    }

    /**
     * Reads element {@code index} without locking.
     *
     * @throws IndexOutOfBoundsException naming the list, index and length
     */
    public StoredEntry get(int index) {
        return read(() -> {
            // Acquire: pairs with the release of the root, so the array it names is complete.
            long root = control.getLongAcquire(ctl + ROOT);
            long length = 0;
            if (root != EMPTY) {
                long stamp = heap.stampFor(root);
                long a = offset(root);
                length = length(a);
                if (index >= 0 && index < length) {
                    // Acquire: pairs with the release of the element's ref (set) or of the length (append).
                    StoredEntry e = readEntry(heap.readLongAcquire(a + A_REFS + 8L * index), null);
                    heap.validate(root, stamp);
                    return e;
                }
                heap.validate(root, stamp);
            }
            throw outOfBounds(index, length);
        });
    }

    private IndexOutOfBoundsException outOfBounds(long index, long length) {
        return new IndexOutOfBoundsException(label() + ": index out of bounds: index=" + index + ", length="
                + length);
    }

    // ---------------------------------------------------------------- writes (under the lock)

    /**
     * Inserts {@code value} at {@code index} ({@link #APPEND} or {@code index == size()}: appends).
     *
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, size()]}
     * @throws IllegalStateException     if the list is at its length limit or cannot grow
     */
    public void add(int index, byte[] value) {
        lock();
        try {
            long root = control.getLong(ctl + ROOT);
            long a = root == EMPTY ? 0 : offset(root);
            long length = root == EMPTY ? 0 : heap.getLong(a + A_LENGTH);
            long cap = root == EMPTY ? 0 : heap.getLong(a + A_CAPACITY);
            if (index == APPEND) {
                index = (int) length;
            }
            if (index < 0 || index > length) {
                throw outOfBounds(index, length);
            }
            if (length >= MAX_LENGTH) {
                throw new IllegalStateException(label() + " is full: length=" + length + ", limit=" + MAX_LENGTH);
            }
            long ref = writeEntry(StoredEntry.NO_BYTES, 0, value);
            if (index == length && length < cap) {
                // Release (belt and braces: the length's release below is what publishes it to readers).
                heap.putLongRelease(a + A_REFS + 8 * length, ref);
                CrashPoints.reach("list.element-written");
                // Release: the element's ref (and its sealed block) before the length that makes it visible.
                heap.putLongRelease(a + A_LENGTH, length + 1);
                CrashPoints.reach("list.appended");
                return;
            }
            long newCap = length < cap ? cap : Math.min(MAX_LENGTH, Math.max(MIN_CAPACITY, cap * 2));
            long n = newArray(newCap, length + 1);
            copyRefs(a, 0, n, 0, index);
            heap.putLong(n + A_REFS + 8L * index, ref);
            copyRefs(a, index, n, index + 1, length - index);
            publish(n, root);
        } finally {
            unlock();
        }
    }

    /**
     * Replaces element {@code index} if its ref is {@code expected} ({@link MapStore#ANY}: whatever it is).
     *
     * @return the previous element, or null if {@code expected} did not match
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, size())}
     */
    public StoredEntry set(int index, byte[] value, long expected) {
        lock();
        try {
            long a = checkedArray(index);
            long slot = a + A_REFS + 8L * index;
            long current = heap.getLong(slot);
            if (expected != MapStore.ANY && expected != current) {
                return null;
            }
            StoredEntry previous = readEntry(current, null);
            long ref = writeEntry(StoredEntry.NO_BYTES, 0, value);
            // Release: the new element's block is sealed before the array names it.
            heap.putLongRelease(slot, ref);
            CrashPoints.reach("list.set");
            heap.free(offset(current));
            return previous;
        } finally {
            unlock();
        }
    }

    /**
     * Removes element {@code index}.
     *
     * @return the removed element
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, size())}
     */
    public StoredEntry remove(int index) {
        lock();
        try {
            long root = control.getLong(ctl + ROOT);
            long a = checkedArray(index);
            long length = heap.getLong(a + A_LENGTH);
            long current = heap.getLong(a + A_REFS + 8L * index);
            StoredEntry previous = readEntry(current, null);
            long n = newArray(heap.getLong(a + A_CAPACITY), length - 1);
            copyRefs(a, 0, n, 0, index);
            copyRefs(a, index + 1, n, index, length - index - 1);
            publish(n, root);
            heap.free(offset(current));
            return previous;
        } finally {
            unlock();
        }
    }

    /** Removes every element at once (one release store of a new, empty array), then frees the old blocks. */
    public void clear() {
        lock();
        try {
            long root = control.getLong(ctl + ROOT);
            if (root == EMPTY) {
                return;
            }
            long a = offset(root);
            long length = heap.getLong(a + A_LENGTH);
            long[] refs = new long[(int) length];
            for (int i = 0; i < length; i++) {
                refs[i] = heap.getLong(a + A_REFS + 8L * i);
            }
            publish(newArray(MIN_CAPACITY, 0), root);
            for (long r : refs) {
                heap.free(offset(r));
            }
        } finally {
            unlock();
        }
    }

    private long checkedArray(int index) {
        long root = control.getLong(ctl + ROOT);
        long length = root == EMPTY ? 0 : heap.getLong(offset(root) + A_LENGTH);
        if (index < 0 || index >= length) {
            throw outOfBounds(index, length);
        }
        return offset(root);
    }

    private long newArray(long cap, long length) {
        long n = heap.allocate(A_REFS + 8 * cap, KIND_ARRAY);
        heap.putLong(n + A_CAPACITY, cap);
        heap.putLong(n + A_LENGTH, length);
        return n;
    }

    private void copyRefs(long from, long fromIndex, long to, long toIndex, long count) {
        for (long i = 0; i < count; i++) {
            heap.putLong(to + A_REFS + 8 * (toIndex + i), heap.getLong(from + A_REFS + 8 * (fromIndex + i)));
        }
    }

    /** Seals a complete new array, publishes it with one release store of the root, frees the old one. */
    private void publish(long array, long oldRoot) {
        long root = heap.seal(array);
        CrashPoints.reach("list.array-built");
        // Release: the new array (sealed, refs and length written) is complete before readers can find it.
        control.putLongRelease(ctl + ROOT, root);
        CrashPoints.reach("list.array-published");
        if (oldRoot != EMPTY) {
            heap.free(offset(oldRoot));
        }
    }

    @Override
    void collectLive(LiveBlocks live) {
        long root = control.getLong(ctl + ROOT);
        if (root == EMPTY) {
            return;
        }
        long a = offset(root);
        live.add(a);
        long length = heap.getLong(a + A_LENGTH);
        for (long i = 0; i < length; i++) {
            live.add(offset(heap.getLong(a + A_REFS + 8 * i)));
        }
    }

    @Override
    void afterRebuild() {
        // The length lives in the array: nothing to recount.
    }

}
