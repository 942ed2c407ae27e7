package io.mmipc.internal.ring;

import io.mmipc.internal.mem.MappedMemory;

import java.util.function.IntConsumer;

import static io.mmipc.internal.ring.QueueLayout.PUBLISHED;
import static io.mmipc.internal.ring.QueueLayout.count;
import static io.mmipc.internal.ring.QueueLayout.ctlSeq;
import static io.mmipc.internal.ring.QueueLayout.ctlSpan;
import static io.mmipc.internal.ring.QueueLayout.ctlState;
import static io.mmipc.internal.ring.QueueLayout.pos;
import static io.mmipc.internal.ring.QueueLayout.word;

/**
 * Removes one message from the middle of a queue, under the consumer lock, so that a process killed at any
 * step leaves it either queued or removed, never half, and {@code size()} exact.
 *
 * <p>A removal is two writes that must both happen: the record's {@link QueueLayout#FLAG_REMOVED} flag (takes
 * and iterators skip it) and one more on the head's message count (the position stays, so the ring's space is
 * freed only when the head passes; {@code tail count - head count} stays the number of queued messages), plus,
 * for task counting, one more on {@link QueueLayout#REMOVED_TOTAL}. All three are written only by the
 * consumer-lock holder. Before them, the remover writes an intent (the record's position, and the head word
 * and removed count it started from) to the {@code REMOVAL_*} words; after them it clears the intent. A
 * process that takes the lock over from a dead owner calls {@link #recover}, which finishes a removal whose
 * intent is still there: each step is redone only if its word still holds the value it started from, so
 * recovery is idempotent (a second takeover during recovery simply recovers again).
 *
 * <p>A removal never moves the head's position, so it cannot free a record's slots while a producer's claim
 * bookkeeping still needs them; removed records at the head are then passed by a plain head move
 * ({@link #passRemovedAtHead}), as a take passes them.
 */
public final class Removal {
    /** Test hook step: the intent is written, nothing else. */
    public static final int STEP_INTENT = 1;
    /** Test hook step: the record is flagged, the head's count not yet raised. */
    public static final int STEP_FLAGGED = 2;
    /** Test hook step: the head's count is raised, the removed total not yet. */
    public static final int STEP_COUNTED = 3;
    /** Test hook step: every word is written, the intent not yet cleared. */
    public static final int STEP_COMMITTED = 4;

    /** Called between the steps of a removal (a test kills the process there); null in production. */
    private static volatile IntConsumer stepHook;

    private Removal() {
    }

    /**
     * Installs a hook called between the steps of every removal in this process, with the step number
     * ({@link #STEP_INTENT} .. {@link #STEP_COMMITTED}). For crash tests only.
     *
     * @param hook the hook, or null to remove it
     */
    public static void setStepHookForTests(IntConsumer hook) {
        stepHook = hook;
    }

    private static void step(int step) {
        IntConsumer hook = stepHook;
        if (hook != null) {
            hook.accept(step);
        }
    }

    /**
     * Removes the message at record position {@code pos} if it is still queued. Call with the consumer lock
     * held.
     *
     * @param ring the ring
     * @param pos  a record position an iteration returned
     * @return the spill id of the removed message's side file (the caller deletes it after releasing the
     *         lock), {@link RecordScanner#NOT_SPILLED} if it had none, or {@link RecordScanner#NONE} if the
     *         message is no longer queued (taken or removed since)
     */
    static long removeLocked(Ring ring, long pos) {
        MappedMemory memory = ring.memory();
        long head = ring.headWord();
        if (!RecordScanner.atOrAfter(pos, pos(head))) {
            return RecordScanner.NONE;
        }
        long c = ring.controlWord(pos);
        if (ctlSeq(c) != (pos & QueueLayout.POS_MASK) || ctlState(c) != PUBLISHED) {
            return RecordScanner.NONE;
        }
        long at = ring.recordOffset(pos);
        int flags = memory.getInt(at + QueueLayout.RECORD_FLAGS);
        if ((flags & (QueueLayout.FLAG_DEAD | QueueLayout.FLAG_REMOVED)) != 0) {
            return RecordScanner.NONE;
        }
        int base = ring.base();
        memory.putLong(base + QueueLayout.REMOVAL_HEAD, head);
        memory.putLong(base + QueueLayout.REMOVAL_TOTAL, memory.getLong(base + QueueLayout.REMOVED_TOTAL));
        // Volatile: the intent is complete (head and total above) before any step it describes is taken.
        memory.putLongVolatile(base + QueueLayout.REMOVAL_POS, (pos & QueueLayout.POS_MASK) + 1);
        step(STEP_INTENT);
        return finish(ring, pos);
    }

    /**
     * Finishes the removal described by the intent words (each step only if not yet done), then clears the
     * intent. Idempotent.
     *
     * @return the spill id of the record's side file, or {@link RecordScanner#NOT_SPILLED}
     */
    private static long finish(Ring ring, long pos) {
        MappedMemory memory = ring.memory();
        int base = ring.base();
        long at = ring.recordOffset(pos);
        int flags = memory.getInt(at + QueueLayout.RECORD_FLAGS);
        // Plain: published to consumers of other processes by the volatile head store below (they read it
        // under the consumer lock, whose acquire follows our release).
        memory.putInt(at + QueueLayout.RECORD_FLAGS, flags | QueueLayout.FLAG_REMOVED);
        step(STEP_FLAGGED);
        long headBefore = memory.getLong(base + QueueLayout.REMOVAL_HEAD);
        if (ring.headWord() == headBefore) {
            ring.storeHead(word(pos(headBefore), count(headBefore) + 1));
        }
        step(STEP_COUNTED);
        long totalBefore = memory.getLong(base + QueueLayout.REMOVAL_TOTAL);
        if (memory.getLong(base + QueueLayout.REMOVED_TOTAL) == totalBefore) {
            // Volatile: read lock-free by task counting (removed total first, then the tail's count).
            memory.putLongVolatile(base + QueueLayout.REMOVED_TOTAL, totalBefore + 1);
        }
        step(STEP_COMMITTED);
        // Volatile: the removal is complete; a later takeover must not redo it.
        memory.putLongVolatile(base + QueueLayout.REMOVAL_POS, 0);
        return (flags & QueueLayout.FLAG_SPILLED) != 0
                ? memory.getLong(at + QueueLayout.RECORD_HEADER) : RecordScanner.NOT_SPILLED;
    }

    /**
     * After taking the consumer lock over from a dead owner: finishes the removal it was in the middle of, if
     * any (its side file is deleted here).
     *
     * @param ring the ring, consumer lock held
     */
    static void recover(Ring ring) {
        MappedMemory memory = ring.memory();
        long intent = memory.getLongVolatile(ring.base() + QueueLayout.REMOVAL_POS);
        if (intent == 0) {
            return;
        }
        long spilled = finish(ring, intent - 1);
        if (spilled != RecordScanner.NOT_SPILLED && ring.file() != null) {
            new Spill(ring.file().path(), ring).delete(spilled);
        }
    }

    /**
     * Moves the head past removed records at the head (their space goes back to producers now rather than at
     * the next take). One volatile head store each, counting nothing: a removed record was counted when
     * removed. Call with the consumer lock held.
     *
     * @return whether the head moved
     */
    static boolean passRemovedAtHead(Ring ring) {
        MappedMemory memory = ring.memory();
        boolean moved = false;
        while (true) {
            long head = ring.headWord();
            long h = pos(head);
            long c = ring.controlWord(h);
            if (ctlSeq(c) != (h & QueueLayout.POS_MASK) || ctlState(c) != PUBLISHED
                    || (memory.getInt(ring.recordOffset(h) + QueueLayout.RECORD_FLAGS) & QueueLayout.FLAG_REMOVED) == 0) {
                return moved;
            }
            ring.storeHead(word(h + Math.max(1, ctlSpan(c)), count(head)));
            moved = true;
        }
    }
}
