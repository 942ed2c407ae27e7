package io.mmipc.internal.ring;

import io.mmipc.internal.mem.MappedMemory;

/** A joinable queue's task counts, seen from one handle (see {@link TaskAccounting} for the invariants). */
public final class TaskCounter {
    private final Ring ring;
    private final MappedMemory memory;

    /** @param ring the joinable queue's ring */
    public TaskCounter(Ring ring) {
        this.ring = ring;
        this.memory = ring.memory();
    }

    /**
     * Marks one task done (see {@link TaskAccounting#taskDone}).
     *
     * @param label names the queue in the exception
     * @throws IllegalStateException if more tasks were marked done than were put
     */
    public void taskDone(String label) {
        TaskAccounting.taskDone(memory, ring.base(), ring.self(), ring::claimedNotRemovedCount, label);
    }

    /**
     * @return tasks not done (lost ones included): claimed minus done minus removed from the middle, as of one
     *         moment during the call
     */
    public long unfinished() {
        return TaskAccounting.unfinished(memory, ring.base(), ring::claimedNotRemovedCount);
    }

    /** @return the PID of the last process whose tasks were lost */
    public long lastLostPid() {
        return memory.getLongVolatile(ring.base() + QueueLayout.LAST_LOST_PID);
    }

    /** @return tasks lost with departed consumers and not yet forgiven */
    public long lost() {
        return TaskAccounting.lost(memory, ring.base(), ring::claimedNotRemovedCount);
    }

    /** @return whether every task is done or lost */
    public boolean settled() {
        return TaskAccounting.settled(memory, ring.base(), ring::claimedNotRemovedCount);
    }

    /**
     * Counts every lost task as done (one atomic step).
     *
     * @return how many were forgiven
     */
    public long forgiveLost() {
        return TaskAccounting.forgiveLost(memory, ring.base(), ring::claimedNotRemovedCount);
    }
}
