package io.mmipc.internal.collection;

import java.util.Arrays;

/**
 * Small blocks this handle freed and keeps for its own next allocations. A write that replaces an entry frees
 * the old block; the next write of the same process reuses it without touching the shared free-list heads,
 * a cache line every writer would otherwise take from the last writer's core twice per write (pop and push).
 *
 * <p><b>Why it is safe.</b> A spare is free in the heap's terms (its stamp was zeroed, and fenced, before it
 * was kept, as for any freed block, so readers still copying it retry) but on no shared free list, so only
 * this handle hands it out, and only under the writers' lock. A repair after a dead writer rebuilds the free
 * lists from a walk of the heap and puts every unpublished block on them, this handle's spares included; so
 * spares are valid only while the heap's repair counter is what it was when they were kept. Every use calls
 * {@link #sync} with the counter read under the lock first, which forgets them after a repair.
 *
 * <p><b>What a death costs.</b> A process that dies holding spares leaks them until the next repair puts them
 * back (at most {@value #CLASSES} x {@value #PER_CLASS} blocks of at most 1 KiB); a handle that closes gives
 * them back at once.
 *
 * <p>Not thread-safe on its own: the writers' lock (one holder per process) orders its users.
 */
final class SpareBlocks {
    /** Block classes kept: 2^6 .. 2^10 bytes. */
    static final int CLASSES = 5;
    /** Spares kept per class. */
    static final int PER_CLASS = 4;

    private final long[] blocks = new long[CLASSES * PER_CLASS];
    private final int[] counts = new int[CLASSES];
    /** The repair counter the spares were kept under; -1 before the first use. */
    private long epoch = -1;

    /** Forgets every spare if the heap was repaired since they were kept ({@code repairs} read under the lock). */
    void sync(long repairs) {
        if (repairs != epoch) {
            Arrays.fill(counts, 0);
            epoch = repairs;
        }
    }

    /** @return a spare block of class {@code log2}, or 0 if none is kept */
    long take(int log2) {
        int c = log2 - CollectionLayout.MIN_CLASS;
        if (c >= CLASSES || counts[c] == 0) {
            return 0;
        }
        return blocks[c * PER_CLASS + --counts[c]];
    }

    /** Keeps freed block {@code h} of class {@code log2} if there is room; @return whether it was kept */
    boolean keep(int log2, long h) {
        int c = log2 - CollectionLayout.MIN_CLASS;
        if (c >= CLASSES || counts[c] == PER_CLASS) {
            return false;
        }
        blocks[c * PER_CLASS + counts[c]++] = h;
        return true;
    }

    /** @return whether any spare is kept */
    boolean isEmpty() {
        for (int n : counts) {
            if (n != 0) {
                return false;
            }
        }
        return true;
    }
}
