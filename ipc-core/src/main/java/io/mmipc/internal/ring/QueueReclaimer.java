package io.mmipc.internal.ring;

import io.mmipc.WaitMode;
import io.mmipc.internal.file.Registry;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.wait.EventCount;

/**
 * What a queue does when a process's registry entry is released: under the consumer lock, mark the
 * records it claimed but never published as dead (so a new owner of the entry is not mistaken for their
 * writer), and move its taken-but-not-done tasks to the lost counter so {@code join} can report them.
 */
public final class QueueReclaimer implements Registry.DeadEntryHandler {
    private final WaitMode mode;

    /** @param mode the wait mode to use while taking the consumer lock */
    public QueueReclaimer(WaitMode mode) {
        this.mode = mode;
    }

    @Override
    public void release(MappedMemory memory, int index, long token, boolean died) {
        Ring ring = Ring.forCleanup(memory, mode);
        ring.lockUninterruptibly();
        try {
            if (died) {
                ring.resolveClaimsOf(index);
                if (ring.joinable()) {
                    // The lock takeover's repair skips entries being reclaimed (this one reads as free), so a
                    // take this process recorded but never completed is undone here, before it is counted lost.
                    TaskAccounting.undoIncompleteTake(memory, index, ring.headPosition());
                }
            }
            if (ring.joinable()) {
                TaskAccounting.release(memory, ring.base(), index, token);
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
