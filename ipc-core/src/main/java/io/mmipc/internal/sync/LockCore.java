package io.mmipc.internal.sync;

import io.mmipc.WaitMode;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.proc.ProcessIdentity;
import io.mmipc.internal.wait.EventCount;

/**
 * A lock block ({@link LockLayout}) with thread ownership: a {@link RobustMutex} decides which process holds
 * the lock, and the block's thread fields which thread of that process does. Optionally reentrant, with the
 * hold count in shared memory so that every handle of the lock in one process agrees on it.
 *
 * <p>Results are the {@link RobustMutex} codes ({@link RobustMutex#ACQUIRED},
 * {@link RobustMutex#ACQUIRED_FROM_DEAD}, {@link RobustMutex#NOT_ACQUIRED}).
 */
public final class LockCore {
    private final MappedMemory memory;
    private final int base;
    private final boolean reentrant;
    private final String label;
    private final RobustMutex mutex;
    private final EventCount released;
    /** Run before every waiting attempt (see {@link #waitCheck(Runnable)}). */
    private volatile Runnable waitCheck = () -> { };

    /**
     * @param memory    the mapping
     * @param base      offset of the lock block (8-aligned)
     * @param mode      the resolved wait mode
     * @param reentrant whether the owning thread may acquire again
     * @param label     how messages name the lock, e.g. {@code lock 'jobs'}
     */
    public LockCore(MappedMemory memory, int base, WaitMode mode, boolean reentrant, String label) {
        this.memory = memory;
        this.base = base;
        this.reentrant = reentrant;
        this.label = label;
        this.released = new EventCount(memory, base + LockLayout.RELEASED_EVENT, mode);
        this.mutex = new RobustMutex(memory, base + LockLayout.OWNER, released, label);
    }

    /** @return how messages name the lock */
    public String label() {
        return label;
    }

    /** @return whether the lock is reentrant */
    public boolean reentrant() {
        return reentrant;
    }

    /** One attempt without waiting (a reentrant owner always succeeds; a non-reentrant owner never does). */
    public int tryAcquire() {
        if (heldByCurrentThread()) {
            if (!reentrant) {
                return RobustMutex.NOT_ACQUIRED;
            }
            addHold();
            return RobustMutex.ACQUIRED;
        }
        int r = mutex.tryAcquire();
        if (r != RobustMutex.NOT_ACQUIRED) {
            becomeOwner(r);
        }
        return r;
    }

    /**
     * Acquires, waiting until the deadline.
     *
     * @param deadlineNanos {@link System#nanoTime()} deadline, or {@link Long#MAX_VALUE} for none
     * @return the result; {@link RobustMutex#NOT_ACQUIRED} on timeout
     * @throws InterruptedException  if interrupted while waiting
     * @throws IllegalStateException if a non-reentrant lock's owner waits without a deadline (a sure deadlock)
     */
    public int acquire(long deadlineNanos) throws InterruptedException {
        if (heldByCurrentThread()) {
            if (reentrant) {
                addHold();
                return RobustMutex.ACQUIRED;
            }
            if (deadlineNanos == Long.MAX_VALUE) {
                throw new IllegalStateException(label + " is already held by this thread and is not reentrant: "
                        + "waiting would deadlock (use an rlock for reentrancy)");
            }
            released.await(() -> false, deadlineNanos, Long.MAX_VALUE);
            return RobustMutex.NOT_ACQUIRED;
        }
        int r = mutex.acquire(deadlineNanos, waitCheck);
        if (r != RobustMutex.NOT_ACQUIRED) {
            becomeOwner(r);
        }
        return r;
    }

    /**
     * Sets what every waiting attempt runs first; it may end the wait by throwing (a standalone lock's
     * handle ends its waits with the closed error when it is closed).
     *
     * @param check run before each attempt while waiting
     */
    public void waitCheck(Runnable check) {
        this.waitCheck = check;
    }

    /** Wakes this lock's waiters without releasing it, so they run their {@link #waitCheck(Runnable)}. */
    public void wakeWaiters() {
        mutex.wakeWaiters();
    }

    /** Acquires without a deadline, ignoring interrupts (the interrupt status is restored afterwards). */
    public int acquireUninterruptibly() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return acquire(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void addHold() {
        int holds = memory.getInt(base + LockLayout.HOLDS);
        if (holds == Integer.MAX_VALUE) {
            throw new IllegalStateException(label + ": maximum hold count exceeded: holds=" + holds);
        }
        memory.putInt(base + LockLayout.HOLDS, holds + 1);
    }

    private void becomeOwner(int result) {
        boolean died = result == RobustMutex.ACQUIRED_FROM_DEAD;
        memory.putInt(base + LockLayout.HOLDS, 1);
        memory.putInt(base + LockLayout.FLAGS, died ? LockLayout.FLAG_OWNER_DIED : 0);
        if (died) {
            memory.getAndAddLong(base + LockLayout.TAKEOVERS, 1);
        }
        memory.putLong(base + LockLayout.OWNER_THREAD, Thread.currentThread().getId());
        // Release: publishes the thread id to a thread of this process that acquires this token (so a stale
        // id a dead owner left is never read together with our token).
        memory.putLongRelease(base + LockLayout.OWNER_PROCESS, ProcessIdentity.self());
    }

    /**
     * Releases one hold; the last one frees the lock and wakes waiters.
     *
     * @throws IllegalMonitorStateException if the current thread does not hold the lock
     */
    public void release() {
        checkHeld();
        int holds = memory.getInt(base + LockLayout.HOLDS);
        if (holds > 1) {
            memory.putInt(base + LockLayout.HOLDS, holds - 1);
            return;
        }
        releaseFully();
    }

    /**
     * Releases every hold at once (for a condition wait).
     *
     * @return the hold count to restore with {@link #restoreHolds(int)}
     * @throws IllegalMonitorStateException if the current thread does not hold the lock
     */
    public int releaseAll() {
        checkHeld();
        int holds = memory.getInt(base + LockLayout.HOLDS);
        releaseFully();
        return holds;
    }

    /** Sets the hold count after re-acquiring for a condition wait (the current thread holds the lock). */
    public void restoreHolds(int holds) {
        memory.putInt(base + LockLayout.HOLDS, holds);
    }

    private void releaseFully() {
        memory.putLong(base + LockLayout.OWNER_PROCESS, 0);
        memory.putLong(base + LockLayout.OWNER_THREAD, 0);
        memory.putInt(base + LockLayout.HOLDS, 0);
        memory.putInt(base + LockLayout.FLAGS, 0);
        // The mutex's volatile store of 0 publishes the cleared fields and the critical section.
        mutex.release();
    }

    /** @throws IllegalMonitorStateException if the current thread does not hold the lock */
    public void checkHeld() {
        if (!heldByCurrentThread()) {
            long owner = mutex.owner();
            String who = owner == 0 ? "it is not locked"
                    : owner == ProcessIdentity.self() ? "another thread of this process holds it"
                    : "process " + ProcessIdentity.describe(owner) + " holds it";
            throw new IllegalMonitorStateException(label + " is not held by this thread: " + who);
        }
    }

    /** @return whether the current thread holds the lock */
    public boolean heldByCurrentThread() {
        long self = ProcessIdentity.self();
        // Acquire on the owner-thread token: pairs with becomeOwner's release, so the id read next is the one
        // written with it (or newer), never a dead process's stale id.
        return memory.getLongVolatile(base + LockLayout.OWNER) == self
                && memory.getLongAcquire(base + LockLayout.OWNER_PROCESS) == self
                && memory.getLong(base + LockLayout.OWNER_THREAD) == Thread.currentThread().getId();
    }

    /** @return the current thread's hold count, 0 if it does not hold the lock */
    public int holdCount() {
        return heldByCurrentThread() ? memory.getInt(base + LockLayout.HOLDS) : 0;
    }

    /** @return whether the current thread holds the lock and its hold was taken from a dead owner */
    public boolean ownerDied() {
        return heldByCurrentThread() && (memory.getInt(base + LockLayout.FLAGS) & LockLayout.FLAG_OWNER_DIED) != 0;
    }

    /** @return the owner's process token, 0 if free (the owner may be dead and not yet taken over) */
    public long ownerToken() {
        return mutex.owner();
    }

    /** @return how many times the lock was taken over from a dead owner since creation */
    public long takeovers() {
        return memory.getLongVolatile(base + LockLayout.TAKEOVERS);
    }
}
