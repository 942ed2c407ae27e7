package io.mmipc.internal.ring;

import io.mmipc.internal.file.HeaderLayout;
import io.mmipc.internal.file.Registry;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.proc.ProcessIdentity;

import java.util.function.LongSupplier;

import static io.mmipc.internal.ring.QueueLayout.CNT_MASK;
import static io.mmipc.internal.ring.QueueLayout.POS_MASK;

/**
 * Task counting for joinable queues, kept exact across processes and across consumer deaths.
 *
 * <p>Every claimed message is one unfinished task (the tail's message count is the "put" side, so a put
 * and its task appear in one CAS). {@code taskDone} adds to the done counter. Each process's registry entry
 * records how many messages it took, together with the head position it took the last one from, in one
 * word written under the consumer lock before the head moves: a consumer killed between that write and the
 * head's move is recognised (its recorded position still equals the head) and its count corrected, so a
 * message taken again by another consumer is not counted twice. When a process's entry is released (it
 * died, or closed its last handle) its taken-but-not-done tasks move to the queue's lost counter, which
 * {@code join} reports instead of waiting forever.
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
    }

    /** After taking the consumer lock over from a dead owner: undo a take that did not complete. */
    static void repairAfterDeadConsumer(MappedMemory memory, long headPos) {
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

    /** @return tasks taken by {@code entry} and not yet marked done (never negative) */
    static long outstanding(MappedMemory memory, int entry) {
        long taken = QueueLayout.count(memory.getLongVolatile(takeOffset(entry)));
        long done = memory.getLongVolatile(doneOffset(entry));
        long d = (taken - done) & CNT_MASK;
        return d > (CNT_MASK >> 1) ? 0 : d;
    }

    /**
     * Marks one task done.
     *
     * <p>The claimed count is read after the done count, and the CAS proves the done count unchanged since:
     * the two are then a snapshot of one moment. (Read the other way round, tasks put and finished by others
     * in between could make the caller's own unfinished task vanish from the difference, and a legitimate
     * taskDone be refused.)
     *
     * @param claimedCount reads the tasks put so far (the tail's message count)
     * @throws IllegalStateException if more tasks were marked done than were put
     */
    static void taskDone(MappedMemory memory, int base, int entry, LongSupplier claimedCount, String label) {
        while (true) {
            long done = memory.getLongVolatile(base + QueueLayout.TASKS_DONE);
            long unfinished = (claimedCount.getAsLong() - done) & CNT_MASK;
            if (unfinished == 0 || unfinished > (CNT_MASK >> 1)) {
                throw new IllegalStateException(label + ": taskDone() called more times than there were items");
            }
            if (memory.compareAndSetLong(base + QueueLayout.TASKS_DONE, done, done + 1)) {
                memory.getAndAddLong(doneOffset(entry), 1);
                return;
            }
        }
    }

    /**
     * @param claimedCount reads the tasks put so far
     * @return unfinished tasks, claimed minus done, as of one moment during the call: the claimed count is
     *         read between two equal reads of the done count (under heavy contention, after a few tries, an
     *         upper bound: never fewer than were unfinished when the call began)
     */
    static long unfinished(MappedMemory memory, int base, LongSupplier claimedCount) {
        long done = memory.getLongVolatile(base + QueueLayout.TASKS_DONE);
        for (int tries = 0; ; tries++) {
            long claimed = claimedCount.getAsLong();
            long again = memory.getLongVolatile(base + QueueLayout.TASKS_DONE);
            if (again == done || tries == 16) {
                long d = (claimed - done) & CNT_MASK;
                return d > (CNT_MASK >> 1) ? 0 : d;
            }
            done = again;
        }
    }

    /** Moves a released entry's outstanding tasks to the lost counter; call under the consumer lock. */
    static void release(MappedMemory memory, int base, int entry, long token) {
        long lost = outstanding(memory, entry);
        if (lost > 0) {
            memory.getAndAddLong(base + QueueLayout.TASKS_LOST, lost);
            memory.putLongVolatile(base + QueueLayout.LAST_LOST_PID, ProcessIdentity.pid(token));
        }
    }
}
