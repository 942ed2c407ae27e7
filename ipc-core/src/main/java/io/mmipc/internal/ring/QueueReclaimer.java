package io.mmipc.internal.ring;

import io.mmipc.WaitMode;
import io.mmipc.internal.file.HeaderLayout;
import io.mmipc.internal.file.Registry;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.wait.EventCount;

import java.nio.file.Path;

/**
 * What a queue does when a process's registry entry is released: under the consumer lock, mark the
 * records it claimed but never published as dead (so a new owner of the entry is not mistaken for their
 * writer), and fold the tasks it held (taken, not marked done) into the lost pool so {@code join} can report
 * them. Idempotent: the registry re-runs it when a reclaimer died mid-way, and nothing is counted twice.
 */
public final class QueueReclaimer implements Registry.DeadEntryHandler {
    private final WaitMode mode;
    private final Path file;

    /**
     * @param mode the wait mode to use while taking the consumer lock
     * @param file the queue's file, by name (its side files are deleted with the last handle once the name
     *             no longer leads to this instance); null to leave side files alone
     */
    public QueueReclaimer(WaitMode mode, Path file) {
        this.mode = mode;
        this.file = file;
    }

    @Override
    public void release(MappedMemory memory, int index, long token, boolean died) {
        releaseAccounts(memory, index, token, died);
        if (Registry.countLive(memory, i -> i != index) == 0) {
            Spill.releaseIfUnlinked(file, memory.getLong(HeaderLayout.BODY_OFFSET + QueueLayout.INSTANCE),
                    HeaderLayout.BODY_OFFSET + QueueLayout.INSTANCE);
        }
    }

    private void releaseAccounts(MappedMemory memory, int index, long token, boolean died) {
        boolean joinable = (memory.getLong(HeaderLayout.paramOffset(QueueLayout.P_FLAGS)) & QueueLayout.FLAG_JOINABLE) != 0;
        if (!died && !joinable) {
            // A plain queue keeps nothing per process: a last close takes no lock, so it never waits.
            return;
        }
        Ring ring = Ring.forCleanup(memory, mode, file);
        ring.lockUninterruptibly();
        try {
            if (died) {
                ring.resolveClaimsOf(index, token);
                if (ring.joinable()) {
                    // The lock takeover's repair skips entries being reclaimed (this one reads as free), so a
                    // take this process recorded but never completed is undone here, before it is counted lost.
                    TaskAccounting.undoIncompleteTake(memory, index, ring.headPosition());
                }
            }
            if (ring.joinable()) {
                long lost = TaskAccounting.release(memory, ring.base(), index, token);
                RingEvents.tasksLost(Ring.cleanupLabel("queue", file), token, lost, died);
            }
        } finally {
            ring.consumerLock().release();
        }
        if (ring.joinable()) {
            MappedMemory.fullFence();
            new EventCount(memory, ring.base() + QueueLayout.JOIN_EVENT, mode).signalAll();
        }
        ring.notEmpty().signalAll();
    }
}
