package io.mmipc.internal.sync;

import io.mmipc.internal.file.HeaderLayout;

/**
 * Descriptor of a semaphore file (plain and bounded).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |     common header; parameters: initial value, bound, flags    | 0
 *  +---------------------------------------------------------------+
 *  |     value: permits available (0 .. bound), CAS                 | B = BODY_OFFSET
 *  +---------------------------------------------------------------+
 *  |     released: event word (acquirers sleep here)               | B+8
 *  +---------------------------------------------------------------+
 *  |     returned: permits given back for dead or departed holders | B+16
 *  +---------------------------------------------------------------+
 *
 *  per process, registry entry counter HELD: permits that process acquired minus those it released
 * </pre>
 *
 * Acquire CASes the value down, then adds to its process's HELD; release subtracts from HELD, then adds
 * to the value (volatile) and signals. When a process's registry entry is released (death or last close)
 * and the RECLAIM flag is set, a positive HELD is swapped to 0 and added back to the value, capped at the
 * bound. NOTE: a process killed between the two steps of an acquire or a release loses one permit's worth
 * of accounting; the order is chosen so such a death can only lose a permit, never create one.
 */
public final class SemaphoreLayout {
    /** Layout version of semaphore files. */
    public static final int VERSION = 1;
    /** Parameter index: the value at creation. */
    public static final int P_INITIAL = 0;
    /** Parameter index: the bound (largest value), or {@link #UNBOUNDED}. */
    public static final int P_BOUND = 1;
    /** Parameter index: flags ({@link #FLAG_RECLAIM}). */
    public static final int P_FLAGS = 2;
    /** The bound of a plain semaphore. */
    public static final long UNBOUNDED = -1;
    /** Flag: permits held by a process are returned when its registry entry is released. */
    public static final long FLAG_RECLAIM = 1;
    /** Largest value (Java's permit counts are ints). */
    public static final long MAX_VALUE = Integer.MAX_VALUE;

    /** Offset of the value (long). */
    public static final int VALUE = HeaderLayout.BODY_OFFSET;
    /** Offset of the released event word. */
    public static final int RELEASED_EVENT = VALUE + 8;
    /** Offset of the returned-permits counter (long). */
    public static final int RETURNED = VALUE + 16;
    /** Registry counter index: permits held by that process. */
    public static final int COUNTER_HELD = 0;
    /** Size of a semaphore file. */
    public static final long FILE_SIZE = HeaderLayout.BODY_OFFSET + 128;

    private SemaphoreLayout() {
    }

    /** @return the offset of the HELD counter of registry entry {@code entry} */
    public static int held(int entry) {
        return HeaderLayout.entryCounterOffset(entry, COUNTER_HELD);
    }
}
