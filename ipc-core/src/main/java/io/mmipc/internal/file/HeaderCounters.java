package io.mmipc.internal.file;

import io.mmipc.internal.mem.MappedMemory;

/**
 * The operator counters in an object's common header ({@link HeaderLayout#COUNTERS_OFFSET}): takeovers,
 * reclaims, wake-ups, side-file messages and skipped claims, for {@code mmipc inspect} and {@code mmipc watch}.
 *
 * <p>Only rare paths count (a takeover, a reclaim, a side-file write, a signal that must enter the kernel), so
 * one atomic add on the shared header line costs nothing a fast path would feel. The counts only grow.
 */
public final class HeaderCounters {
    /** The counters' names, in header order: the names {@code mmipc inspect} shows. */
    private static final String[] NAMES = {"takeovers", "reclaims", "wakeups", "sideFileMessages", "claimsSkipped"};

    private HeaderCounters() {
    }

    /**
     * Adds to a counter, atomically (any number of processes may count at once).
     *
     * @param memory  the object's mapping (its common header)
     * @param counter the counter's offset, one of {@code HeaderLayout.COUNTER_*}
     * @param n       how much to add (1 for one event)
     */
    public static void add(MappedMemory memory, int counter, long n) {
        // getAndAdd (volatile): no ordering is needed, only that concurrent counts are not lost.
        memory.getAndAddLong(counter, n);
    }

    /**
     * @param i a counter index, 0 to {@link HeaderLayout#COUNTER_COUNT} - 1
     * @return the counter's name
     */
    public static String name(int i) {
        return NAMES[i];
    }
}
