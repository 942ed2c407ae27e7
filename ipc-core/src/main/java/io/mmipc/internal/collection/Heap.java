package io.mmipc.internal.collection;

import io.mmipc.internal.file.SharedFile;
import io.mmipc.internal.mem.MappedMemory;

import java.io.IOException;
import java.lang.invoke.VarHandle;

import static io.mmipc.internal.collection.CollectionLayout.*;

/**
 * The block heap of one stripe of a map or list (see {@link CollectionLayout}): checked access to its blocks
 * across its segments ({@link HeapSegments}) and, for the writer holding the lock, allocation, freeing,
 * growth and the rebuild that repairs a dead writer's half-done allocation.
 *
 * <p>Read accessors ({@code read*}) are for lock-free readers: an offset outside every mapped segment, or a
 * segment that does not exist (yet), throws {@link #RETRY} instead of failing, because it can only come from a
 * block reused under the reader, whose stamp check would fail anyway.
 */
final class Heap {
    /** Stamps a handle takes from the shared counter at once (see {@link #seal}). */
    static final long STAMP_BATCH = 64;
    /** Thrown by read accessors on an impossible offset: the reader raced with a writer and must retry. */
    static final RuntimeException RETRY = new RuntimeException("stale read", null, false, false) {
        private static final long serialVersionUID = 1L;
    };

    private final SharedFile file;
    private final MappedMemory main;
    /** This heap's control block's offset in the main file, and where its segment 0 starts there. */
    private final int ctl;
    private final long heap0;
    private final HeapSegments segments;
    /** This handle's next stamp and the end of its range (lock holder only: the lock orders its threads). */
    private long nextStamp;
    private long stampLimit;
    /** Blocks this handle freed and reuses first (lock holder only). */
    private final SpareBlocks spares = new SpareBlocks();

    Heap(SharedFile file, int stripe) {
        this.file = file;
        this.main = file.memory();
        this.ctl = CollectionLayout.control(stripe);
        this.heap0 = CollectionLayout.heap0((int) file.param(P_STRIPES), file.param(P_SEGMENT0), stripe);
        this.segments = new HeapSegments(file, stripe);
    }

    /** Writes a new heap's control words in the control block at {@code ctl} (creation, before publishing). */
    static void init(MappedMemory memory, int ctl, long heapId) {
        memory.putLong(ctl + BUMP, HEAP_START);
        memory.putLong(ctl + SEGMENTS, 1);
        memory.putLong(ctl + NEXT_STAMP, 1);
        memory.putLong(ctl + HEAP_ID, heapId);
    }

    /** @return the offset of this heap's control block in the main file */
    int ctl() {
        return ctl;
    }

    SharedFile file() {
        return file;
    }

    /** @return the main file's mapping (control block) */
    MappedMemory control() {
        return main;
    }

    // ---------------------------------------------------------------- address resolution

    private int segmentOf(long h) {
        return segments.segmentOf(h);
    }

    /** @return the mapping of segment {@code k}, mapping it if it exists; {@link #RETRY} if it does not */
    private MappedMemory segment(int k) {
        if (k == 0) {
            return main; // segment 0, the common case, without a call
        }
        MappedMemory m = segments.segment(k);
        if (m == null) {
            throw RETRY; // named by a block reused under a reader: its stamp check would fail anyway
        }
        return m;
    }

    private long local(int k, long h) {
        return k == 0 ? heap0 + h : segments.local(k, h);
    }

    /** Checks that {@code [h, h + length)} lies in one segment; returns the segment index or throws RETRY. */
    private int span(long h, long length) {
        int k = segmentOf(h);
        if (k < 0 || length < 0 || h + length > segments.end(k)) {
            throw RETRY;
        }
        return k;
    }

    /** As {@link #span}, for an 8-byte word (which must also be aligned). */
    private int word(long h) {
        if ((h & 7) != 0) {
            throw RETRY;
        }
        return span(h, 8);
    }

    // ---------------------------------------------------------------- reads (lock-free callers)

    long readLongAcquire(long h) {
        int k = word(h);
        return segment(k).getLongAcquire(local(k, h));
    }

    long readLong(long h) {
        int k = word(h);
        return segment(k).getLong(local(k, h));
    }

    int readInt(long h) {
        int k = span(h, 4);
        return segment(k).getInt(local(k, h));
    }

    void readBytes(long h, byte[] dst, int length) {
        int k = span(h, length);
        segment(k).getBytes(local(k, h), dst, 0, length);
    }

    /**
     * Reads a block's stamp and checks it against a ref word's tag.
     *
     * @return the stamp (acquire: the block's contents written before it are visible)
     * @throws RuntimeException {@link #RETRY} if the block is free, being written, or another block now
     */
    long stampFor(long ref) {
        long stamp = readLongAcquire(offset(ref) + B_STAMP);
        if (!tagMatches(ref, stamp)) {
            throw RETRY;
        }
        return stamp;
    }

    /** Checks, after a load-load fence, that the block of {@code ref} still has {@code stamp}. */
    void validate(long ref, long stamp) {
        // Load-load fence: the copies made since stampFor are ordered before this re-read of the stamp, which
        // pairs with the writer's store of 0 then store-store fence before it touches a freed block.
        VarHandle.loadLoadFence();
        if (readLong(offset(ref) + B_STAMP) != stamp) {
            throw RETRY;
        }
    }

    // ---------------------------------------------------------------- writes (lock held)

    long getLong(long h) {
        int k = segmentOf(h);
        return segment(k).getLong(local(k, h));
    }

    int getInt(long h) {
        int k = segmentOf(h);
        return segment(k).getInt(local(k, h));
    }

    void putLong(long h, long v) {
        int k = segmentOf(h);
        segment(k).putLong(local(k, h), v);
    }

    void putLongRelease(long h, long v) {
        int k = segmentOf(h);
        segment(k).putLongRelease(local(k, h), v);
    }

    void putInt(long h, int v) {
        int k = segmentOf(h);
        segment(k).putInt(local(k, h), v);
    }

    void putBytes(long h, byte[] src, int length) {
        int k = segmentOf(h);
        segment(k).putBytes(local(k, h), src, 0, length);
    }

    void getBytes(long h, byte[] dst, int length) {
        int k = segmentOf(h);
        segment(k).getBytes(local(k, h), dst, 0, length);
    }

    void zero(long h, long length) {
        int k = segmentOf(h);
        segment(k).zero(local(k, h), length);
    }

    /**
     * Allocates a block of at least {@code bytes} (header included), stamp 0, kind set.
     *
     * @throws IllegalArgumentException naming the limit if no block class is that large
     * @throws IllegalStateException    naming the limit if the heap cannot grow any more
     */
    long allocate(long bytes, int kind) {
        int log2 = classFor(bytes);
        if (log2 < 0) {
            throw new IllegalArgumentException(file.label() + ": entry too large: bytes=" + bytes
                    + ", limit=" + MAX_BLOCK_BYTES + " (key + value + " + B_DATA + " bytes of header)");
        }
        spares.sync(main.getLong(ctl + REPAIRS));
        long spare = spares.take(log2);
        if (spare != 0) {
            putInt(spare + B_KIND, kind);
            return spare;
        }
        long h = main.getLong(ctl + freeHead(log2));
        if (h != 0) {
            // Unlink: the head moves to the next free block (its link word is ours until we write the block).
            main.putLong(ctl + freeHead(log2), getLong(h + B_NEXT_FREE));
            putInt(h + B_KIND, kind);
            return h;
        }
        long size = 1L << log2;
        while (true) {
            long bump = main.getLong(ctl + BUMP);
            int k = segmentOf(bump);
            if (k < 0) {
                throw full(bump);
            }
            segments.ensure(k);
            long end = segments.end(k);
            if (bump + size <= end) {
                putLong(bump + B_STAMP, 0);
                putInt(bump + B_BYTES, (int) size);
                putInt(bump + B_KIND, kind);
                // Release: the header (walked by a repair) is written before the bump covers it.
                main.putLongRelease(ctl + BUMP, bump + size);
                return bump;
            }
            if (segmentOf(end) < 0) {
                throw full(bump + size);
            }
            // The block does not fit in the rest of this segment: pad it out, continue in the next one.
            putLong(bump + B_STAMP, 0);
            putInt(bump + B_BYTES, (int) (end - bump));
            putInt(bump + B_KIND, KIND_FILLER);
            // Release: the filler's header (walked by a repair) is written before the bump covers it.
            main.putLongRelease(ctl + BUMP, end);
        }
    }

    private IllegalStateException full(long needed) {
        return new IllegalStateException(file.label() + " is full: heap bytes needed=" + needed + ", limit="
                + segments.limit() + " (" + MAX_SEGMENTS + " segments)");
    }

    /**
     * Gives a stamp to a complete block (release: publishes its contents); returns its ref word. Stamps are
     * taken from the shared counter {@value #STAMP_BATCH} at a time and handed out from this handle's range:
     * the counter sits on the root's cache line, which every reader reads, and writing it on every write made
     * that line move between the writers' and readers' cores. A range is only ever handed out once (the counter
     * never goes back, a repair included), so stamps stay unique; what a process that dies leaves of its
     * range is simply never used.
     */
    long seal(long h) {
        if (nextStamp == stampLimit) {
            long first = main.getLong(ctl + NEXT_STAMP);
            main.putLong(ctl + NEXT_STAMP, first + STAMP_BATCH);
            nextStamp = first;
            stampLimit = first + STAMP_BATCH;
        }
        long stamp = nextStamp++;
        // Release: the block's contents are complete before a reader can see a matching stamp.
        putLongRelease(h + B_STAMP, stamp);
        return ref(h, stamp);
    }

    /**
     * Frees a block: invalidates its stamp first, so readers still copying it retry; then keeps it as one of
     * this handle's spares (see {@link SpareBlocks}) or puts it on its shared free list.
     */
    void free(long h) {
        int log2 = invalidate(h);
        spares.sync(main.getLong(ctl + REPAIRS));
        if (!spares.keep(log2, h)) {
            push(log2, h);
        }
    }

    /** Puts this handle's spare blocks back on the shared free lists (lock held; for a closing handle). */
    void returnSpares() {
        spares.sync(main.getLong(ctl + REPAIRS));
        for (int log2 = MIN_CLASS; log2 < MIN_CLASS + SpareBlocks.CLASSES; log2++) {
            for (long h = spares.take(log2); h != 0; h = spares.take(log2)) {
                push(log2, h);
            }
        }
    }

    /** @return whether this handle keeps spare blocks that {@link #returnSpares} would give back */
    boolean hasSpares() {
        return !spares.isEmpty();
    }

    /** Zeroes a block's stamp and marks it free; @return its class */
    private int invalidate(long h) {
        // Release, then the fence below: readers validating this block's stamp see it change before any reuse.
        putLongRelease(h + B_STAMP, 0);
        // Store-store fence: readers see the zeroed stamp before any later write into this block.
        VarHandle.storeStoreFence();
        putInt(h + B_KIND, KIND_FREE);
        return Integer.numberOfTrailingZeros(getInt(h + B_BYTES));
    }

    private void push(int log2, long h) {
        putLong(h + B_NEXT_FREE, main.getLong(ctl + freeHead(log2)));
        main.putLong(ctl + freeHead(log2), h);
    }

    /**
     * Repair after a dead writer: empties the free lists and frees every block that is neither in
     * {@code live} nor padding, by walking the heap. Idempotent.
     *
     * @throws IllegalStateException naming the file if the heap's block chain is broken
     */
    void rebuild(LiveBlocks live) {
        for (int log2 = MIN_CLASS; log2 <= MAX_CLASS; log2++) {
            main.putLong(ctl + freeHead(log2), 0);
        }
        long bump = main.getLong(ctl + BUMP);
        long h = HEAP_START;
        while (h < bump) {
            int k = segmentOf(h);
            long bytes = getInt(h + B_BYTES) & 0xFFFF_FFFFL;
            if (k < 0 || bytes < (1 << MIN_CLASS) || (bytes & 63) != 0 || h + bytes > segments.end(k)) {
                throw new IllegalStateException(file.label() + " is corrupt: broken block chain at heap offset="
                        + h + ", bytes=" + bytes + " (" + file.path() + ")");
            }
            if (getInt(h + B_KIND) != KIND_FILLER && !live.contains(h)) {
                // Every process's spares are freed here too (they are unpublished); the repair count that
                // follows makes their holders forget them.
                push(invalidate(h), h);
            }
            h += bytes;
        }
    }

    /** Removes the segment files (for unlink). */
    void unlinkSegments() throws IOException {
        segments.unlinkAll();
    }

    /** @return the bytes of heap in use or free-listed (up to the bump) */
    long usedBytes() {
        return main.getLongVolatile(ctl + BUMP);
    }
}
