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

    /** Marks one task done (see {@link TaskAccounting#taskDone}). */
    public void taskDone(String label) {
        TaskAccounting.taskDone(memory, ring.base(), ring.self(), ring::claimedCount, label);
    }

    /** @return tasks not done (lost ones included): claimed minus done, as of one moment during the call */
    public long unfinished() {
        return TaskAccounting.unfinished(memory, ring.base(), ring::claimedCount);
    }

    /** @return the PID of the last process whose tasks were lost */
    public long lastLostPid() {
        return memory.getLongVolatile(ring.base() + QueueLayout.LAST_LOST_PID);
    }

    /** @return tasks lost with departed consumers and not yet forgiven */
    public long lost() {
        return memory.getLongVolatile(ring.base() + QueueLayout.TASKS_LOST);
    }

    /** @return whether every task is done or lost */
    public boolean settled() {
        return unfinished() <= lost();
    }

    /** Counts every lost task as done; returns how many were forgiven. */
    public long forgiveLost() {
        while (true) {
            long lost = lost();
            if (lost == 0) {
                return 0;
            }
            if (memory.compareAndSetLong(ring.base() + QueueLayout.TASKS_LOST, lost, 0)) {
                memory.getAndAddLong(ring.base() + QueueLayout.TASKS_DONE, lost);
                return lost;
            }
        }
    }
}
