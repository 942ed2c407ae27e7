package io.mmipc.internal.sync;

import io.mmipc.internal.file.HeaderLayout;

/**
 * Descriptor of a condition file: its own reentrant lock block, then the condition's words.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |     common header, no layout parameters                       | 0
 *  +---------------------------------------------------------------+
 *  |     lock block (LockLayout), reentrant                        | B = BODY_OFFSET
 *  +---------------------------------------------------------------+
 *  |     waiters (threads waiting)     |  signals (pending wake-ups) | B+128  one long, CAS
 *  +---------------------------------------------------------------+
 *  |     notify sequence (bumped by every signal)                  | B+136
 *  +---------------------------------------------------------------+
 *  |     notified: event word (waiters sleep here)                  | B+144
 *  +---------------------------------------------------------------+
 *
 *  per process, registry entry counter WAITING: that process's threads counted in "waiters"
 * </pre>
 *
 * A waiter, holding the lock, counts itself in {@code waiters} and reads the notify sequence, then releases
 * the lock and sleeps until the sequence has moved past what it read <em>and</em> it can take a pending
 * signal (CAS {@code waiters-1, signals-1}). A notifier, holding the lock, bumps the sequence (volatile)
 * and then raises {@code signals} by n, capped at {@code waiters}. Only threads that were waiting when a
 * signal was given can take it (the sequence check), and any of them can, so a signal is never lost; a
 * waiter that times out takes a pending signal if it is eligible (and reports being signalled) or else
 * leaves with {@code waiters-1}. Invariant: {@code signals <= waiters}.
 *
 * <p>When a process's registry entry is released, its WAITING count is swapped to 0 and removed from
 * {@code waiters}. Every step orders its two updates so that a death in between leaves a phantom waiter
 * (at worst a spurious wake-up later), never a missing one (which could lose a signal).
 */
public final class ConditionLayout {
    /** Layout version of condition files. */
    public static final int VERSION = 1;
    /** Offset of the lock block. */
    public static final int LOCK = HeaderLayout.BODY_OFFSET;
    /** Offset of the waiters/signals word (long: waiters in the high 32 bits, signals in the low 32). */
    public static final int STATE = LOCK + 128;
    /** Offset of the notify sequence (long). */
    public static final int SEQUENCE = STATE + 8;
    /** Offset of the notified event word. */
    public static final int NOTIFIED_EVENT = STATE + 16;
    /** Registry counter index: threads of that process counted in waiters. */
    public static final int COUNTER_WAITING = 0;
    /** Size of a condition file. */
    public static final long FILE_SIZE = HeaderLayout.BODY_OFFSET + 256;

    private ConditionLayout() {
    }

    /** Packs the state word. */
    public static long state(long waiters, long signals) {
        return (waiters << 32) | signals;
    }

    /** @return the waiters in a state word */
    public static long waiters(long state) {
        return state >>> 32;
    }

    /** @return the pending signals in a state word */
    public static long signals(long state) {
        return state & 0xFFFF_FFFFL;
    }

    /** @return the offset of the WAITING counter of registry entry {@code entry} */
    public static int waiting(int entry) {
        return HeaderLayout.entryCounterOffset(entry, COUNTER_WAITING);
    }

    /**
     * A registry handler that forgets the waiters of a departed process. Swaps its WAITING count to 0 first,
     * so a repeat (after a reclaimer died) does nothing.
     */
    public static void forgetWaiters(io.mmipc.internal.mem.MappedMemory memory, int entry) {
        int counter = waiting(entry);
        long n;
        do {
            n = memory.getLongVolatile(counter);
            if (n <= 0) {
                return;
            }
        } while (!memory.compareAndSetLong(counter, n, 0));
        long v;
        long next;
        do {
            v = memory.getLongVolatile(STATE);
            long w = Math.max(0, waiters(v) - n);
            next = state(w, Math.min(signals(v), w));
        } while (!memory.compareAndSetLong(STATE, v, next));
    }
}
