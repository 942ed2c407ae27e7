package io.mmipc.internal.sync;

import io.mmipc.internal.file.HeaderCounters;
import io.mmipc.internal.file.HeaderLayout;
import io.mmipc.internal.log.Log;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.proc.ProcessIdentity;
import io.mmipc.internal.wait.EventCount;

import java.lang.System.Logger.Level;

/**
 * A cross-process mutex that survives its owner's death, like a POSIX robust mutex: the lock word holds the
 * owning process's token (see ProcessIdentity: alive while its node-file lock is held), so a waiter that finds the owner dead takes the lock over
 * and is told so. A takeover adds one to the object's {@link HeaderLayout#COUNTER_TAKEOVERS} and logs a
 * {@code WARNING} on {@link Log#SYNC} naming the lock and the dead process: whatever that process was changing
 * under the lock may be half done.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |        owner process token (0 = free), CAS-acquired           |  +0
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * It is not reentrant and does not know which thread of the owning process holds it; callers that need
 * that (the public locks) track the owning thread in their own process.
 */
public final class RobustMutex {
    /** Result: the lock is now held. */
    public static final int ACQUIRED = 1;
    /** Result: the lock is now held, taken over from an owner process that died holding it. */
    public static final int ACQUIRED_FROM_DEAD = 2;
    /** Result: not acquired. */
    public static final int NOT_ACQUIRED = 0;
    private static final long LIVENESS_CHECK_NANOS = 1_000_000L;

    private final MappedMemory memory;
    private final int offset;
    private final EventCount released;
    private final String label;
    private volatile long lastLivenessCheck;

    /**
     * @param memory   the object's mapping (its header holds the takeover counter)
     * @param offset   the 8-aligned lock word
     * @param released the event that {@link #release()} signals
     * @param label    how the log names the lock, e.g. {@code lock 'jobs'} or {@code queue 'jobs' consumer lock}
     */
    public RobustMutex(MappedMemory memory, int offset, EventCount released, String label) {
        this.memory = memory;
        this.offset = offset;
        this.released = released;
        this.label = label;
    }

    /**
     * One attempt to take the lock; checks the owner's liveness at most every millisecond (reading
     * {@code /proc} on every spin would be costly).
     *
     * @return {@link #ACQUIRED}, {@link #ACQUIRED_FROM_DEAD} or {@link #NOT_ACQUIRED}
     */
    public int tryAcquire() {
        return tryAcquire(false);
    }

    private int tryAcquire(boolean forceCheck) {
        long self = ProcessIdentity.self();
        long owner = memory.getLongVolatile(offset);
        if (owner == 0) {
            // CAS (volatile): acquires everything the previous owner wrote before its release.
            return memory.compareAndSetLong(offset, 0, self) ? ACQUIRED : NOT_ACQUIRED;
        }
        if (owner == self) {
            return NOT_ACQUIRED;
        }
        long now = System.nanoTime();
        if (!forceCheck && now - lastLivenessCheck < LIVENESS_CHECK_NANOS) {
            return NOT_ACQUIRED;
        }
        lastLivenessCheck = now;
        if (!ProcessIdentity.isAlive(owner) && memory.compareAndSetLong(offset, owner, self)) {
            tookOver(owner);
            return ACQUIRED_FROM_DEAD;
        }
        return NOT_ACQUIRED;
    }

    /** Counts and reports a takeover (rare: once per owner that died holding the lock). */
    private void tookOver(long deadOwner) {
        HeaderCounters.add(memory, HeaderLayout.COUNTER_TAKEOVERS, 1);
        Log.SYNC.log(Level.WARNING, () -> label + ": taken over from a process that died holding it: pid="
                + ProcessIdentity.pid(deadOwner) + ", takerPid=" + ProcessIdentity.pid(ProcessIdentity.self()));
    }

    /**
     * Takes the lock, waiting until the deadline.
     *
     * @param deadlineNanos {@link System#nanoTime()} deadline, or {@link Long#MAX_VALUE}
     * @return {@link #ACQUIRED}, {@link #ACQUIRED_FROM_DEAD}, or {@link #NOT_ACQUIRED} on timeout
     * @throws InterruptedException if interrupted while waiting
     */
    public int acquire(long deadlineNanos) throws InterruptedException {
        return acquire(deadlineNanos, () -> { });
    }

    /**
     * Takes the lock, waiting until the deadline; {@code check} runs before every attempt and may end the
     * wait by throwing (for example when the caller's handle was closed).
     *
     * @param deadlineNanos {@link System#nanoTime()} deadline, or {@link Long#MAX_VALUE}
     * @param check         run before each attempt; an exception it throws ends the wait
     * @return {@link #ACQUIRED}, {@link #ACQUIRED_FROM_DEAD}, or {@link #NOT_ACQUIRED} on timeout
     * @throws InterruptedException if interrupted while waiting
     */
    public int acquire(long deadlineNanos, Runnable check) throws InterruptedException {
        check.run();
        // Throttled liveness check: under contention between live processes, reading /proc on every
        // acquire would cost more than the critical section.
        int r = tryAcquire(false);
        if (r != NOT_ACQUIRED) {
            return r;
        }
        int[] result = new int[1];
        boolean ok = released.await(() -> {
            check.run();
            return (result[0] = tryAcquire()) != NOT_ACQUIRED;
        }, deadlineNanos,
                LIVENESS_CHECK_NANOS * 10);
        return ok ? result[0] : NOT_ACQUIRED;
    }

    /** Wakes every waiter without releasing (they re-check; used when a handle closes). */
    public void wakeWaiters() {
        released.signalAll();
    }

    /** Releases the lock (the caller must hold it) and wakes waiters. */
    public void release() {
        // Volatile: publishes the critical section's writes, and orders the sleepers check after it.
        memory.putLongVolatile(offset, 0);
        released.signalAll();
    }

    /** @return the owner's token, or 0 if free */
    public long owner() {
        return memory.getLongVolatile(offset);
    }

    /** @return whether some thread of this process holds the lock */
    public boolean heldByThisProcess() {
        return memory.getLongVolatile(offset) == ProcessIdentity.self();
    }
}
