package io.mmipc.internal.collection;

import java.util.Arrays;

/**
 * The heap offsets of the blocks a published index reaches, for the repair walk: a growable {@code long[]},
 * sorted once and searched (8 bytes an entry, where a {@code HashSet<Long>} would take about 50).
 */
final class LiveBlocks {
    private long[] offsets = new long[64];
    private int size;
    private boolean sorted;

    /** Adds a block's heap offset. */
    void add(long offset) {
        if (size == offsets.length) {
            offsets = Arrays.copyOf(offsets, size * 2);
        }
        offsets[size++] = offset;
        sorted = false;
    }

    /** @return whether {@code offset} was added */
    boolean contains(long offset) {
        if (!sorted) {
            Arrays.sort(offsets, 0, size);
            sorted = true;
        }
        return Arrays.binarySearch(offsets, 0, size, offset) >= 0;
    }
}
