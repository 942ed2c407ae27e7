package io.mmipc.internal.sync;

import io.mmipc.internal.file.HeaderLayout;

/**
 * Descriptor of a barrier file.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |     common header; parameter: parties                         | 0
 *  +---------------------------------------------------------------+
 *  |            generation             |ph |      arrived          | B = BODY_OFFSET, one long, CAS
 *  +---------------------------------------------------------------+
 *  |     reset history: bit (g mod 64) set if generation g was     | B+8
 *  |     ended by reset() (its waiters were broken, not released)  |
 *  +---------------------------------------------------------------+
 *  |     changed: event word (waiters sleep here)                  | B+16
 *  +---------------------------------------------------------------+
 *
 *  state word: generation (bits 63..32) | phase (bits 31..30) | arrived (bits 29..0)
 *  phase: 0 FILLING (parties arriving), 1 BROKEN, 2 TRIPPING (the last party runs the action)
 * </pre>
 *
 * An arrival CASes {@code arrived+1}; the last one CASes the phase to TRIPPING, runs its action, clears
 * the history bit of the next generation and CASes to {@code (generation+1, FILLING, 0)}, which releases
 * the waiters. Breaking (timeout, interrupt, {@code abort()}, a failed action, a dead process) CASes the
 * phase to BROKEN within the same generation. {@code reset()} breaks the generation, sets its history bit,
 * then starts the next one. A waiter of generation g returns normally when the generation moved on and
 * g's history bit is clear, and throws BrokenBarrierException otherwise. NOTE: if 64 generations pass
 * while a waiter sleeps, its history bit is reused; it is then assumed to have passed.
 */
public final class BarrierLayout {
    /** Layout version of barrier files. */
    public static final int VERSION = 1;
    /** Parameter index: the number of parties. */
    public static final int P_PARTIES = 0;
    /** Largest number of parties. */
    public static final int MAX_PARTIES = (1 << 30) - 1;
    /** Offset of the state word (long). */
    public static final int STATE = HeaderLayout.BODY_OFFSET;
    /** Offset of the reset history (long). */
    public static final int HISTORY = STATE + 8;
    /** Offset of the changed event word. */
    public static final int CHANGED_EVENT = STATE + 16;
    /** Size of a barrier file. */
    public static final long FILE_SIZE = HeaderLayout.BODY_OFFSET + 128;

    /** Phase: parties arriving. */
    public static final int FILLING = 0;
    /** Phase: broken until reset. */
    public static final int BROKEN = 1;
    /** Phase: the last party is running the action. */
    public static final int TRIPPING = 2;

    private BarrierLayout() {
    }

    /** Packs a state word. */
    public static long state(int generation, int phase, int arrived) {
        return ((long) generation << 32) | ((long) phase << 30) | arrived;
    }

    /** @return the generation of a state word */
    public static int generation(long state) {
        return (int) (state >>> 32);
    }

    /** @return the phase of a state word */
    public static int phase(long state) {
        return (int) (state >>> 30) & 3;
    }

    /** @return the number of parties arrived, in a state word */
    public static int arrived(long state) {
        return (int) state & MAX_PARTIES;
    }

    /** @return the history bit of generation {@code generation} */
    public static long historyBit(int generation) {
        return 1L << (generation & 63);
    }
}
