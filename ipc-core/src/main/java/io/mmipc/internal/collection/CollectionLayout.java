package io.mmipc.internal.collection;

import io.mmipc.internal.file.HeaderLayout;
import io.mmipc.internal.sync.LockLayout;

/**
 * Descriptor of a shared map or list: every offset of its files, blocks and index words in one place.
 *
 * <p>A map or list is split into {@code N} <em>stripes</em> (parameter 1; a power of two, 1 for a list): each
 * stripe is a complete, independent container — its own control block, writers' lock, index and <em>heap</em>
 * of blocks — and a map's key lives in the stripe its hash's top bits name, so writers of keys in different
 * stripes never wait for each other or share a cache line. A stripe's heap is a sequence of segments: segment
 * 0 is its part of the main file; segment {@code k >= 1} is a side file (named below), created (complete, then
 * linked under its name) when the heap fills, and mapped lazily by each process the first time one of its
 * blocks is reached. Segment {@code k} holds {@code min(S0 << k, MAX_SEGMENT_BYTES)} bytes, so a stripe's heap
 * offsets form one address space: segment {@code k} starts where {@code k - 1} ends.
 *
 * <pre>
 *  main file:
 *  +---------------------------------------------------------------+
 *  | common header (HeaderLayout); parameters: 0 = S0 (bytes of    | 0
 *  | each stripe's segment 0), 1 = N (stripes)                     |
 *  +---------------------------------------------------------------+
 *  | control block of stripe 0 (384 bytes, below)                  | C = BODY_OFFSET
 *  | control block of stripe 1 ... of stripe N-1                   | C + 384 i
 *  +---------------------------------------------------------------+
 *  | heap segment 0 of stripe 0: S0 bytes                          | C + 384 N
 *  | heap segment 0 of stripe 1 ... of stripe N-1                  | C + 384 N + S0 i
 *  +---------------------------------------------------------------+
 *
 *  control block of a stripe, from base B = C + 384 i (offsets relative to B):
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |     lock block (LockLayout): the stripe's writers' robust mutex| B+0
 *  +---------------------------------------------------------------+
 *  |     root: ref word of the index block (table or array)        | B+64   release-stored: the commit point
 *  +---------------------------------------------------------------+
 *  |     size (map: entries; list: unused)                         | B+72
 *  +---------------------------------------------------------------+
 *  |     used slots (map: entries + tombstones)                    | B+80
 *  +---------------------------------------------------------------+
 *  |     bump: heap offset of the first never-allocated byte       | B+88
 *  +---------------------------------------------------------------+
 *  |     segments: how many heap segments exist (>= 1)            | B+96   release-stored after the file is linked
 *  +---------------------------------------------------------------+
 *  |     next stamp (writers' counter, never 0; taken 64 at a time)| B+104
 *  +---------------------------------------------------------------+
 *  |     heap id (random; every segment file repeats it)           | B+112
 *  +---------------------------------------------------------------+
 *  |     repairs: times a writer repaired after a dead writer      | B+120
 *  +---------------------------------------------------------------+
 *  |     free list heads, one per block class 2^6 .. 2^30 (25 x 8) | B+128 .. B+328
 *  +---------------------------------------------------------------+
 *  |     reserved                                                  | B+328 .. B+384
 *  +---------------------------------------------------------------+
 *
 *  block (every heap allocation; size a power of two >= 64, 8-aligned, never spanning segments):
 *  +---------------------------------------------------------------+
 *  |     stamp (0 = free or being written; else unique)           | +0   release-stored when complete
 *  +---------------------------------------------------------------+
 *  |     block bytes               |     kind                      | +8   written at allocation, never after
 *  +---------------------------------------------------------------+
 *  |     key length                |     value length              | +16  (free block: next free block)
 *  +---------------------------------------------------------------+
 *  |     key hash (8 bytes)                                        | +24
 *  +---------------------------------------------------------------+
 *  |     entry: key bytes, then value bytes                        | +32
 *  |     table: capacity (8), then capacity x 16-byte slots        |
 *  |     array: capacity (8), length (8, release-stored), refs     |
 *  +---------------------------------------------------------------+
 *
 *  ref word (root, table slot, array element):
 *  +-----------------------------------+---------------------------+
 *  |  tag: low 24 bits of the stamp    |  heap offset / 8 (40 bits)|
 *  +-----------------------------------+---------------------------+
 *   0 = empty, 1 = tombstone (a removed map entry)
 *
 *  table slot: ref word (release-stored last) | key hash
 *
 *  segment file k >= 1 of stripe i: {@code <main file>.seg-k} for stripe 0, {@code <main file>.seg-k.s<i>} else
 *  +---------------------------------------------------------------+
 *  |     magic "MMIPCSG1"  |  version, segment index  |  heap id   | 0, 8, 12, 16
 *  |     data bytes        |  reserved to 128                     | 24
 *  +---------------------------------------------------------------+
 *  |     heap segment k                                            | 128
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p><b>Commit rule</b> (per stripe; everything below is about one stripe). Writers hold the lock. They never
 * change a published block: a new or changed entry is written into a fresh block, whose stamp is
 * release-stored when it is complete, and then published by one release store of a ref word (a table slot,
 * an array element, an array's length, or the root). Everything else a writer changes (free lists, bump,
 * size, used, stamps of freed blocks) can be recomputed from the published index and a walk of the heap,
 * which is what the next writer does when it takes the lock over from a dead one ({@code Heap.rebuild}):
 * idempotent, so a repairer killed in turn is repaired by the next.
 *
 * <p><b>Readers</b> take no lock. They acquire a ref word, check that the block's stamp still carries the ref's
 * tag, copy what they need, then re-read the stamp after a load-load fence: a block freed or reused meanwhile
 * has a different stamp (a writer zeroes the stamp, then store-store fences, before touching a freed block),
 * and the reader retries. Garbage read from a reused block is bounds-checked and only ever causes a retry.
 */
public final class CollectionLayout {
    /** Layout version of map and list files (2: stripes). */
    public static final int VERSION = 2;
    /** Parameter index: bytes of each stripe's heap segment 0. */
    public static final int P_SEGMENT0 = 0;
    /** Parameter index: the number of stripes. */
    public static final int P_STRIPES = 1;
    /** Most stripes. */
    public static final int MAX_STRIPES = 64;
    /** Stripes of a map unless told otherwise. */
    public static final int DEFAULT_MAP_STRIPES = 8;

    /** Offset of stripe 0's control block. */
    public static final int CONTROL = HeaderLayout.BODY_OFFSET;
    /** Bytes of one stripe's control block (a multiple of 128, so every lock block stays 128-aligned). */
    public static final int CONTROL_BYTES = 384;
    /** Control block: offset of the lock block. */
    public static final int LOCK = 0;
    /** Control block: offset of the root ref word. */
    public static final int ROOT = LockLayout.BLOCK_SIZE;
    /** Control block: offset of the size word. */
    public static final int SIZE = ROOT + 8;
    /** Control block: offset of the used-slots word. */
    public static final int USED = ROOT + 16;
    /** Control block: offset of the bump word. */
    public static final int BUMP = ROOT + 24;
    /** Control block: offset of the segment count. */
    public static final int SEGMENTS = ROOT + 32;
    /** Control block: offset of the next-stamp counter. */
    public static final int NEXT_STAMP = ROOT + 40;
    /** Control block: offset of the heap id. */
    public static final int HEAP_ID = ROOT + 48;
    /** Control block: offset of the repair counter. */
    public static final int REPAIRS = ROOT + 56;
    /** Control block: offset of the first free list head. */
    public static final int FREE_HEADS = 128;
    /** Smallest block class, log2. */
    public static final int MIN_CLASS = 6;
    /** Largest block class, log2 (1 GiB). */
    public static final int MAX_CLASS = 30;

    /** First heap offset handed out (offsets below are never a block, so 0 can mean "none"). */
    public static final long HEAP_START = 64;
    /** Smallest segment 0. */
    public static final long MIN_SEGMENT0 = 1 << 16;
    /** Default segment 0. */
    public static final long DEFAULT_SEGMENT0 = 1 << 20;
    /** Largest segment (a JDK 17 mapping is at most 2 GiB). */
    public static final long MAX_SEGMENT_BYTES = 1L << MAX_CLASS;
    /** Largest number of segments. */
    public static final int MAX_SEGMENTS = 40;
    /** Largest block: one entry's key and value plus the block header must fit. */
    public static final long MAX_BLOCK_BYTES = 1L << MAX_CLASS;

    /** Block: offset of the stamp. */
    public static final int B_STAMP = 0;
    /** Block: offset of the block size (int). */
    public static final int B_BYTES = 8;
    /** Block: offset of the kind (int). */
    public static final int B_KIND = 12;
    /** Block: offset of the key length (int). */
    public static final int B_KEY_LENGTH = 16;
    /** Block: offset of the value length (int). */
    public static final int B_VALUE_LENGTH = 20;
    /** Block (free): offset of the next free block's heap offset, over the lengths. */
    public static final int B_NEXT_FREE = 16;
    /** Block: offset of the key hash. */
    public static final int B_HASH = 24;
    /** Block: offset of the payload. */
    public static final int B_DATA = 32;

    /** Kind: a map entry or list element. */
    public static final int KIND_ENTRY = 1;
    /** Kind: a hash table. */
    public static final int KIND_TABLE = 2;
    /** Kind: a list's array of refs. */
    public static final int KIND_ARRAY = 3;
    /** Kind: padding at the end of a segment. */
    public static final int KIND_FILLER = 4;
    /** Kind: on a free list. */
    public static final int KIND_FREE = 5;

    /** Table block: offset of the capacity (a power of two). */
    public static final int T_CAPACITY = B_DATA;
    /** Table block: offset of slot 0. */
    public static final int T_SLOTS = B_DATA + 8;
    /** Bytes per table slot. */
    public static final int SLOT_BYTES = 16;
    /** Table slot: offset of the ref word. */
    public static final int SLOT_REF = 0;
    /** Table slot: offset of the key hash. */
    public static final int SLOT_HASH = 8;

    /** Array block: offset of the capacity. */
    public static final int A_CAPACITY = B_DATA;
    /** Array block: offset of the length (release-stored: publishes appended refs). */
    public static final int A_LENGTH = B_DATA + 8;
    /** Array block: offset of element 0's ref word. */
    public static final int A_REFS = B_DATA + 16;

    /** Ref word: empty slot. */
    public static final long EMPTY = 0;
    /** Ref word: removed entry. */
    public static final long TOMBSTONE = 1;
    private static final int OFFSET_BITS = 40;
    private static final long OFFSET_MASK = (1L << OFFSET_BITS) - 1;
    private static final long TAG_MASK = (1L << (64 - OFFSET_BITS)) - 1;

    /** Segment file: "MMIPCSG1" in ASCII, little-endian. */
    public static final long SEGMENT_MAGIC = 0x314753435049_4D4DL;
    /** Segment file: offset of the magic. */
    public static final int S_MAGIC = 0;
    /** Segment file: offset of the layout version (int). */
    public static final int S_VERSION = 8;
    /** Segment file: offset of the segment index (int). */
    public static final int S_INDEX = 12;
    /** Segment file: offset of the heap id. */
    public static final int S_HEAP_ID = 16;
    /** Segment file: offset of the data size. */
    public static final int S_BYTES = 24;
    /** Segment file: offset of the data. */
    public static final int S_DATA = 128;

    private CollectionLayout() {
    }

    /** @return the main file's size for {@code stripes} stripes whose segment 0 holds {@code segment0} bytes */
    public static long fileSize(int stripes, long segment0) {
        return heap0(stripes, segment0, stripes);
    }

    /** @return the offset of stripe {@code stripe}'s control block */
    public static int control(int stripe) {
        return CONTROL + CONTROL_BYTES * stripe;
    }

    /** @return the main-file offset of stripe {@code stripe}'s heap segment 0 */
    public static long heap0(int stripes, long segment0, int stripe) {
        return (long) CONTROL + (long) CONTROL_BYTES * stripes + segment0 * stripe;
    }

    /** @return the control-block offset of the free list head word of block class {@code log2} */
    public static int freeHead(int log2) {
        return FREE_HEADS + 8 * (log2 - MIN_CLASS);
    }

    /** @return the ref word naming the block at {@code offset} whose stamp is {@code stamp} */
    public static long ref(long offset, long stamp) {
        return ((stamp & TAG_MASK) << OFFSET_BITS) | (offset >>> 3);
    }

    /** @return the heap offset a ref word names */
    public static long offset(long ref) {
        return (ref & OFFSET_MASK) << 3;
    }

    /** @return whether a block stamp matches a ref word's tag */
    public static boolean tagMatches(long ref, long stamp) {
        return stamp != 0 && (ref >>> OFFSET_BITS) == (stamp & TAG_MASK);
    }

    /** @return whether a ref word names a block (neither empty nor a tombstone) */
    public static boolean isBlock(long ref) {
        return ref != EMPTY && ref != TOMBSTONE;
    }

    /** @return the block class (log2 of its size) that holds {@code bytes}, or -1 if none is large enough */
    public static int classFor(long bytes) {
        long b = Math.max(bytes, 1L << MIN_CLASS);
        int log2 = 64 - Long.numberOfLeadingZeros(b - 1);
        return log2 > MAX_CLASS ? -1 : log2;
    }

    /** @return the bytes of heap segment {@code k} */
    public static long segmentBytes(long segment0, int k) {
        return k >= 31 ? MAX_SEGMENT_BYTES : Math.min(segment0 << k, MAX_SEGMENT_BYTES);
    }
}
