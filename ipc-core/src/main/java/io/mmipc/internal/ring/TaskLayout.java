package io.mmipc.internal.ring;

/**
 * Descriptor of a joinable queue's task-count words: the one task word in the ring header
 * ({@link QueueLayout#TASK_COUNTS}) and the two per-process words in each registry entry
 * ({@link QueueLayout#COUNTER_TAKE}, {@link QueueLayout#COUNTER_DONE}). {@link TaskAccounting} holds the
 * transitions.
 *
 * <pre>
 *  task word (ring header, B + TASK_COUNTS), CAS'd as a whole:
 *   63   58 57 56 55          48 47                    24 23                     0
 *  +-------+--+--+--------------+------------------------+------------------------+
 *  |  0    |F |P | pending entry| lost pool (signed)     | done                   |
 *  +-------+--+--+--------------+------------------------+------------------------+
 *   done          tasks marked done (mod 2^24, like the tail's claimed count): unfinished = claimed - done
 *   lost pool     tasks held by departed processes, less tasks marked done by processes that held none
 *                 (credits); lost = min(max(pool, 0), unfinished)
 *   pending entry 1 + the registry entry whose taskDone is published here but not yet added to its own
 *                 done word (0 = none); P is the parity that word will have once it is
 *   F             a fold (reclaim) moved an entry's held tasks into the pool; the entry's words, named in
 *                 FOLD_ENTRY, may not be zeroed yet
 *
 *  take word (registry entry counter COUNTER_TAKE), written under the consumer lock:
 *   63                                        24 23                     0
 *  +-------------------------------------------+------------------------+
 *  | head position of the last take (40 bits)  | messages taken         |
 *  +-------------------------------------------+------------------------+
 *
 *  done word (registry entry counter COUNTER_DONE):
 *   63                             25 24 23                     0
 *  +--------------------------------+--+------------------------+
 *  |  0                             |P | tasks marked done      |
 *  +--------------------------------+--+------------------------+
 *   P flips with every taskDone booked here: a helper applies the pending taskDone of the task word only
 *   while the parities differ (and the task word is unchanged since it read this word), so it lands once.
 *
 *  An entry's held tasks: taken - done, signed (negative when that process marked done tasks taken
 *  elsewhere). Invariant: claimed = done + queued + sum over entries of held + lost pool.
 * </pre>
 */
public final class TaskLayout {
    /** Mask of a 24-bit count. */
    static final long COUNT_MASK = (1L << 24) - 1;

    private static final int POOL_SHIFT = 24;
    private static final int PENDING_SHIFT = 48;
    private static final long PENDING_PARITY = 1L << 56;
    private static final long FOLD_PENDING = 1L << 57;
    private static final long PARITY = 1L << 24;

    private TaskLayout() {
    }

    /** @return the done count of a task word */
    public static long done(long word) {
        return word & COUNT_MASK;
    }

    /** @return the done count and lost pool of a task word, without its marks */
    static long counts(long word) {
        return word & ((1L << PENDING_SHIFT) - 1);
    }

    /** @return the lost pool of a task word, sign-extended */
    public static long pool(long word) {
        return (word << 16) >> 40;
    }

    /** @return the registry entry whose taskDone is pending in a task word, or -1 */
    static int pendingEntry(long word) {
        return (int) ((word >>> PENDING_SHIFT) & 0xFF) - 1;
    }

    /** @return the parity the pending entry's done word has once the pending taskDone is applied */
    static boolean pendingParity(long word) {
        return (word & PENDING_PARITY) != 0;
    }

    /** @return whether a fold's entry zeroing may be unfinished */
    static boolean foldPending(long word) {
        return (word & FOLD_PENDING) != 0;
    }

    /** @return {@code word} with {@code n} more done (n may be negative) and {@code p} added to the pool */
    static long add(long word, long n, long p) {
        long done = (done(word) + n) & COUNT_MASK;
        long pool = (pool(word) + p) & COUNT_MASK;
        return (word & ~counts(-1L)) | (pool << POOL_SHIFT) | done;
    }

    /** @return {@code word} with a taskDone of {@code entry} pending, to leave its done word with {@code parity} */
    static long withPending(long word, int entry, boolean parity) {
        long cleared = withoutPending(word);
        return cleared | ((long) (entry + 1) << PENDING_SHIFT) | (parity ? PENDING_PARITY : 0);
    }

    /** @return {@code word} with no pending taskDone */
    static long withoutPending(long word) {
        return word & ~((0xFFL << PENDING_SHIFT) | PENDING_PARITY);
    }

    /** @return {@code word} with the fold flag set or cleared */
    static long withFold(long word, boolean pending) {
        return pending ? word | FOLD_PENDING : word & ~FOLD_PENDING;
    }

    /** @return the count of a done word */
    static long doneCount(long doneWord) {
        return doneWord & COUNT_MASK;
    }

    /** @return the parity of a done word */
    static boolean parity(long doneWord) {
        return (doneWord & PARITY) != 0;
    }

    /** @return the done word after one more taskDone: count + 1, parity flipped */
    static long nextDone(long doneWord) {
        return ((doneCount(doneWord) + 1) & COUNT_MASK) | (parity(doneWord) ? 0 : PARITY);
    }

    /** @return a 24-bit difference as a signed number */
    static long signed(long difference) {
        return (difference << 40) >> 40;
    }
}
