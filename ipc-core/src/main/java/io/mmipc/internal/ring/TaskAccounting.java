package io.mmipc.internal.ring;

import io.mmipc.internal.file.HeaderLayout;
import io.mmipc.internal.file.Registry;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.proc.ProcessIdentity;

import java.util.function.LongSupplier;

import static io.mmipc.internal.ring.QueueLayout.POS_MASK;
import static io.mmipc.internal.ring.TaskLayout.COUNT_MASK;

/**
 * Task counting for joinable queues, kept exact across processes and across deaths at any instruction
 * (words: {@link TaskLayout}).
 *
 * <p>Every claimed message is one unfinished task (the tail's message count is the "put" side, so a put and
 * its task appear in one CAS). Every other transition is one CAS of the queue's task word, or is published
 * there first and finished idempotently by whoever comes next:
 * <ul>
 *   <li><b>take</b>: the taker's take word, written under the consumer lock before the head moves, records
 *       the head position it took from; a consumer killed before the head's move is recognised (its recorded
 *       position still equals the head) and the take undone, so a message taken again is not counted twice.</li>
 *   <li><b>taskDone</b> by a process that holds tasks: one CAS adds one to done and names the process as
 *       pending in the task word; adding one to the process's own done word follows, by it or by any
 *       process that meets the pending mark (the parity bit makes it land once). By a process that holds
 *       none (it finishes a task taken elsewhere: Python allows it): one CAS adds one to done and takes one
 *       from the lost pool, a credit against the taker's count when the taker leaves.</li>
 *   <li><b>fold</b>, when a process's registry entry is released (it died, or closed its last handle), under
 *       the consumer lock: one CAS adds its held tasks to the lost pool and raises the fold flag, its words
 *       are zeroed, the flag is cleared. A folder killed after the CAS leaves the flag; the next folder (or
 *       the next owner of the consumer lock) zeroes the named entry, and a re-run fold finds nothing held.</li>
 *   <li><b>discard</b> of a message that can never be delivered: recorded as a take, the head moves, then a
 *       taskDone as above (a consumer killed in between leaves it held: counted lost, never done twice).</li>
 *   <li><b>forgive</b>: one CAS moves the lost tasks to done.</li>
 * </ul>
 * {@code join} waits until unfinished (claimed minus done) is at most the lost pool.
 */
public final class TaskAccounting {
    private TaskAccounting() {
    }

    private static int takeOffset(int entry) {
        return HeaderLayout.entryCounterOffset(entry, QueueLayout.COUNTER_TAKE);
    }

    private static int doneOffset(int entry) {
        return HeaderLayout.entryCounterOffset(entry, QueueLayout.COUNTER_DONE);
    }

    /** Records, under the consumer lock and before the head moves, that {@code entry} took the record at {@code pos}. */
    static void recordTake(MappedMemory memory, int entry, long pos) {
        long taken = QueueLayout.count(memory.getLong(takeOffset(entry)));
        // Volatile: must be visible before the head's move, so a takeover can tell whether it completed.
        memory.putLongVolatile(takeOffset(entry), QueueLayout.word(pos, taken + 1));
        CrashPoint.reach("take.recorded");
    }

    /**
     * After taking the consumer lock over from a dead owner: finish a fold it left half done, and undo a take
     * that did not complete.
     */
    static void repairAfterDeadConsumer(MappedMemory memory, int base, long headPos) {
        finishFold(memory, base);
        for (int i = 0; i < HeaderLayout.REGISTRY_ENTRIES; i++) {
            long token = Registry.token(memory, i);
            if (token == 0 || ProcessIdentity.isAlive(token)) {
                continue;
            }
            undoIncompleteTake(memory, i, headPos);
        }
    }

    /**
     * Under the consumer lock, for the entry of a process that is gone: a take it recorded at the head's
     * position never completed (the head would have moved past it), so the message is still queued and the
     * take is not counted. Idempotent.
     */
    static void undoIncompleteTake(MappedMemory memory, int entry, long headPos) {
        long w = memory.getLong(takeOffset(entry));
        if (w != 0 && QueueLayout.pos(w) == (headPos & POS_MASK)) {
            // Position headPos+2^39 can never be "the head" while this record is pending.
            memory.putLongVolatile(takeOffset(entry), QueueLayout.word(headPos + (1L << 39), QueueLayout.count(w) - 1));
        }
    }

    /** @return tasks {@code entry} holds: taken minus marked done there (negative if it finished others' tasks) */
    private static long held(MappedMemory memory, int entry) {
        long taken = QueueLayout.count(memory.getLongVolatile(takeOffset(entry)));
        long done = TaskLayout.doneCount(memory.getLongVolatile(doneOffset(entry)));
        return TaskLayout.signed(taken - done);
    }

    /**
     * Marks one task done.
     *
     * <p>The claimed count is read after the task word, and the CAS proves the task word unchanged since: the
     * two are then a snapshot of one moment. (Read the other way round, tasks put and finished by others in
     * between could make the caller's own unfinished task vanish from the difference, and a legitimate
     * taskDone be refused.)
     *
     * @param claimedCount reads the tasks put so far (the tail's message count)
     * @throws IllegalStateException if more tasks were marked done than were put
     */
    static void taskDone(MappedMemory memory, int base, int entry, LongSupplier claimedCount, String label) {
        int at = base + QueueLayout.TASK_COUNTS;
        while (true) {
            long word = memory.getLongVolatile(at);
            if (TaskLayout.pendingEntry(word) >= 0) {
                finishTaskDone(memory, at, word);
                continue;
            }
            long unfinished = (claimedCount.getAsLong() - TaskLayout.done(word)) & COUNT_MASK;
            if (unfinished == 0 || unfinished > (COUNT_MASK >> 1)) {
                throw new IllegalStateException(label + ": taskDone() called more times than there were items: "
                        + "unfinished=0");
            }
            if (book(memory, at, word, entry)) {
                return;
            }
        }
    }

    /**
     * After the head moved past a message that can never be delivered, which {@code entry} recorded as taken
     * ({@link #recordTake}) before moving it: marks its task done.
     */
    static void discardTaken(MappedMemory memory, int base, int entry) {
        CrashPoint.reach("discard.moved");
        int at = base + QueueLayout.TASK_COUNTS;
        while (true) {
            long word = memory.getLongVolatile(at);
            if (TaskLayout.pendingEntry(word) >= 0) {
                finishTaskDone(memory, at, word);
            } else if (book(memory, at, word, entry)) {
                return;
            }
        }
    }

    /**
     * Books one taskDone of {@code entry} against task word {@code word} (read with no mark pending): to the
     * entry's own done word if it holds tasks, else as a credit against the lost pool.
     *
     * @return false if the task word changed meanwhile (nothing was booked: read it again)
     */
    private static boolean book(MappedMemory memory, int at, long word, int entry) {
        // Only this process changes its own words while it lives (and nobody while the task word is unchanged).
        long doneWord = memory.getLongVolatile(doneOffset(entry));
        boolean own = held(memory, entry) > 0;
        long next = own
                ? TaskLayout.withPending(TaskLayout.add(word, 1, 0), entry, !TaskLayout.parity(doneWord))
                : TaskLayout.add(word, 1, -1);
        // CAS: the task is done from this store on (join reads done here), whatever happens to this process.
        if (!memory.compareAndSetLong(at, word, next)) {
            return false;
        }
        if (own) {
            CrashPoint.reach("taskDone.published");
            // Until the mark is gone: a helper may have changed the word, or another field moved.
            for (long w = next; TaskLayout.pendingEntry(w) == entry
                    && TaskLayout.pendingParity(w) == TaskLayout.pendingParity(next); ) {
                finishTaskDone(memory, at, w);
                w = memory.getLongVolatile(at);
            }
        }
        return true;
    }

    /**
     * Finishes the taskDone pending in task word {@code word} (read at {@code at}): adds it to its entry's done
     * word unless already added, then clears the mark. Any process may call it, any number of times.
     */
    private static void finishTaskDone(MappedMemory memory, int at, long word) {
        int entry = checkedEntry(TaskLayout.pendingEntry(word), "pending entry");
        boolean parity = TaskLayout.pendingParity(word);
        int doneAt = doneOffset(entry);
        long doneWord = memory.getLongVolatile(doneAt);
        // The task word unchanged since it was read proves the mark still pending when doneWord was read; then
        // doneWord either already has the mark's parity (added) or is the value before the add, which the CAS
        // below expects: once anyone adds it, the word never has that value again.
        if (memory.getLongVolatile(at) != word) {
            return;
        }
        if (TaskLayout.parity(doneWord) != parity) {
            memory.compareAndSetLong(doneAt, doneWord, TaskLayout.nextDone(doneWord));
        }
        CrashPoint.reach("taskDone.applied");
        memory.compareAndSetLong(at, word, TaskLayout.withoutPending(word));
    }

    /**
     * @return {@code entry}, a registry entry index read from the file
     * @throws IllegalStateException if it is out of range (a corrupt file): it must never address other memory
     */
    private static int checkedEntry(long entry, String field) {
        if (entry < 0 || entry >= HeaderLayout.REGISTRY_ENTRIES) {
            throw new IllegalStateException("corrupt task counts: " + field + "=" + entry + " out of range 0.."
                    + (HeaderLayout.REGISTRY_ENTRIES - 1));
        }
        return (int) entry;
    }

    /**
     * Reads the task word and the claimed count as of one moment: the claimed count between two equal reads
     * of the task word's counts (under heavy contention, after a few tries, an upper bound of unfinished).
     *
     * @return unfinished tasks (claimed minus done, 0 if negative) in the high 32 bits, the lost pool (24-bit
     *         two's complement) in the low 32
     */
    private static long snapshot(MappedMemory memory, int base, LongSupplier claimedCount) {
        int at = base + QueueLayout.TASK_COUNTS;
        long word = memory.getLongVolatile(at);
        for (int tries = 0; ; tries++) {
            long claimed = claimedCount.getAsLong();
            long again = memory.getLongVolatile(at);
            if (TaskLayout.counts(again) == TaskLayout.counts(word) || tries == 16) {
                long d = (claimed - TaskLayout.done(word)) & COUNT_MASK;
                long unfinished = d > (COUNT_MASK >> 1) ? 0 : d;
                return (unfinished << 32) | (TaskLayout.pool(word) & COUNT_MASK);
            }
            word = again;
        }
    }

    private static long unfinishedOf(long snapshot) {
        return snapshot >>> 32;
    }

    private static long lostOf(long snapshot) {
        long pool = TaskLayout.signed(snapshot & COUNT_MASK);
        return Math.max(0, Math.min(pool, unfinishedOf(snapshot)));
    }

    /**
     * @param claimedCount reads the tasks put so far
     * @return unfinished tasks, claimed minus done, as of one moment during the call (see {@link #snapshot})
     */
    static long unfinished(MappedMemory memory, int base, LongSupplier claimedCount) {
        return unfinishedOf(snapshot(memory, base, claimedCount));
    }

    /** @return tasks lost with departed processes and not yet forgiven: the pool, at most the unfinished tasks */
    static long lost(MappedMemory memory, int base, LongSupplier claimedCount) {
        return lostOf(snapshot(memory, base, claimedCount));
    }

    /** @return whether every unfinished task is lost (none is queued or held by a live process) */
    static boolean settled(MappedMemory memory, int base, LongSupplier claimedCount) {
        long s = snapshot(memory, base, claimedCount);
        return unfinishedOf(s) <= lostOf(s);
    }

    /**
     * Counts every lost task as done, in one CAS.
     *
     * @return how many were forgiven
     */
    static long forgiveLost(MappedMemory memory, int base, LongSupplier claimedCount) {
        int at = base + QueueLayout.TASK_COUNTS;
        while (true) {
            long word = memory.getLongVolatile(at);
            long d = (claimedCount.getAsLong() - TaskLayout.done(word)) & COUNT_MASK;
            long unfinished = d > (COUNT_MASK >> 1) ? 0 : d;
            long lost = Math.max(0, Math.min(TaskLayout.pool(word), unfinished));
            if (lost == 0) {
                return 0;
            }
            // CAS: done and the pool move together, so a forgiver killed at any point forgave all or nothing.
            if (memory.compareAndSetLong(at, word, TaskLayout.add(word, lost, -lost))) {
                CrashPoint.reach("forgive.done");
                return lost;
            }
        }
    }

    /**
     * Folds a released entry's held tasks into the lost pool; call under the consumer lock. Idempotent: re-run
     * on an entry whose fold was interrupted, it counts nothing twice.
     *
     * @param token the process that held the entry (0 if unknown: a re-run after the first folder died)
     * @return the tasks the entry held, now lost
     */
    static long release(MappedMemory memory, int base, int entry, long token) {
        int at = base + QueueLayout.TASK_COUNTS;
        finishFold(memory, base);
        long held;
        while (true) {
            long word = memory.getLongVolatile(at);
            if (TaskLayout.pendingEntry(word) == entry) {
                // Its last taskDone was published but not added to its done word: add it before counting.
                finishTaskDone(memory, at, word);
                continue;
            }
            held = held(memory, entry);
            if (held > 0 && token != 0) {
                // Before the CAS, so whoever sees these tasks lost (join) also sees whose they were.
                memory.putLongVolatile(base + QueueLayout.LAST_LOST_PID, ProcessIdentity.pid(token));
            }
            memory.putLongVolatile(base + QueueLayout.FOLD_ENTRY, entry);
            long folded = TaskLayout.withFold(TaskLayout.add(word, 0, held), true);
            // CAS: the pool takes the held tasks and the fold flag together; the flag makes the zeroing below
            // happen (here or by the next folder) before anyone counts this entry again.
            if (memory.compareAndSetLong(at, word, folded)) {
                break;
            }
        }
        CrashPoint.reach("fold.published");
        finishFold(memory, base);
        return held;
    }

    /** Under the consumer lock: zeroes the words of the entry whose fold is flagged, then clears the flag. */
    private static void finishFold(MappedMemory memory, int base) {
        int at = base + QueueLayout.TASK_COUNTS;
        long word = memory.getLongVolatile(at);
        if (!TaskLayout.foldPending(word)) {
            return;
        }
        int entry = checkedEntry(memory.getLongVolatile(base + QueueLayout.FOLD_ENTRY), "fold entry");
        memory.putLongVolatile(takeOffset(entry), 0);
        memory.putLongVolatile(doneOffset(entry), 0);
        CrashPoint.reach("fold.zeroed");
        // Taskdones of others may change the word meanwhile; only the holder of the consumer lock clears the flag.
        while (!memory.compareAndSetLong(at, word, TaskLayout.withFold(word, false))) {
            word = memory.getLongVolatile(at);
        }
    }
}
