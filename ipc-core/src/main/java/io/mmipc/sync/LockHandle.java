package io.mmipc.sync;

import io.mmipc.internal.file.SharedFile;
import io.mmipc.internal.proc.ProcessIdentity;
import io.mmipc.internal.sync.Deadlines;
import io.mmipc.internal.sync.LockCore;
import io.mmipc.internal.sync.RobustMutex;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * What {@link SharedLock} and {@link SharedRLock} share: a robust cross-process lock with the
 * {@link Lock} methods, Python's names, and outcome-reporting acquires.
 */
abstract class LockHandle implements Lock, AutoCloseable {
    private final SharedFile file;
    private final LockCore core;
    private final boolean embedded;

    LockHandle(SharedFile file, LockCore core, boolean embedded) {
        this.file = file;
        this.core = core;
        this.embedded = embedded;
        // A close of this handle (or, embedded, of the object that owns the file) wakes its waiters and ends
        // their waits with the closed error.
        core.waitCheck(() -> {
            if (file.isClosed()) {
                throw file.closedError();
            }
        });
    }

    final LockCore core() {
        return core;
    }

    final SharedFile file() {
        return file;
    }

    private static LockOutcome outcome(int result) {
        switch (result) {
            case RobustMutex.ACQUIRED:
                return LockOutcome.ACQUIRED;
            case RobustMutex.ACQUIRED_FROM_DEAD:
                return LockOutcome.ACQUIRED_OWNER_DIED;
            default:
                return LockOutcome.TIMED_OUT;
        }
    }

    /**
     * Python's {@code acquire()}: waits as long as it takes, and tells whether the previous owner died.
     *
     * @return {@link LockOutcome#ACQUIRED} or {@link LockOutcome#ACQUIRED_OWNER_DIED}
     * @throws InterruptedException if interrupted before or while waiting (the lock is then not held)
     */
    public LockOutcome acquire() throws InterruptedException {
        return acquireUntil(Long.MAX_VALUE);
    }

    /**
     * Python's {@code acquire(timeout=t)}: waits at most {@code timeout}.
     *
     * @param timeout the longest wait; zero or negative does not wait
     * @return the outcome; {@link LockOutcome#TIMED_OUT} if the lock stayed busy
     * @throws InterruptedException if interrupted before or while waiting (the lock is then not held)
     */
    public LockOutcome acquire(Duration timeout) throws InterruptedException {
        return acquireUntil(Deadlines.after(timeout));
    }

    private LockOutcome acquireUntil(long deadline) throws InterruptedException {
        file.enter();
        try {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            return outcome(core.acquire(deadline));
        } finally {
            file.exit();
        }
    }

    /**
     * Python's {@code acquire(block=False)}: takes the lock only if it is free now (or held by a process
     * found dead).
     *
     * @return the outcome; {@link LockOutcome#TIMED_OUT} if the lock is busy
     */
    public LockOutcome tryAcquire() {
        file.enter();
        try {
            return outcome(core.tryAcquire());
        } finally {
            file.exit();
        }
    }

    /**
     * Acquires (waiting as long as it takes, ignoring interrupts like {@link #lock()}) and returns the hold
     * for try-with-resources: Python's {@code with lock:}.
     *
     * @return the hold; closing it releases the lock
     */
    public LockHold hold() {
        file.enter();
        try {
            boolean died = core.acquireUninterruptibly() == RobustMutex.ACQUIRED_FROM_DEAD;
            return new LockHold(this::unlock, died);
        } finally {
            file.exit();
        }
    }

    /**
     * Python's {@code release()}; the same as {@link #unlock()}.
     *
     * @throws IllegalMonitorStateException if the current thread does not hold the lock
     */
    public void release() {
        unlock();
    }

    /**
     * Tells whether the current thread holds the lock and took it over from a process that died holding
     * it. Lets {@link #lock()} and {@link #tryLock()} users learn what the outcome-returning methods say.
     *
     * @return true if this thread holds the lock and took it from a dead process
     */
    public boolean acquiredFromDeadOwner() {
        file.ensureOpen();
        return core.ownerDied();
    }

    /** {@return whether the current thread holds the lock} */
    public boolean isHeldByCurrentThread() {
        file.enter();
        try {
            return core.heldByCurrentThread();
        } finally {
            file.exit();
        }
    }

    /**
     * {@return whether any thread of any process holds the lock; a dead owner that nobody has taken over yet still
     * counts}
     */
    public boolean isLocked() {
        file.enter();
        try {
            return core.ownerToken() != 0;
        } finally {
            file.exit();
        }
    }

    /** {@return the PID of the owning process, or 0 if the lock is free (for diagnostics)} */
    public long ownerPid() {
        file.enter();
        try {
            return ProcessIdentity.pid(core.ownerToken());
        } finally {
            file.exit();
        }
    }

    /** {@return how many times since creation the lock was taken over from an owner that died holding it} */
    public long takeovers() {
        file.enter();
        try {
            return core.takeovers();
        } finally {
            file.exit();
        }
    }

    /**
     * Acquires, waiting as long as it takes; interrupts are remembered, not obeyed. If the previous owner
     * died holding the lock, this acquires anyway: ask {@link #acquiredFromDeadOwner()}.
     */
    @Override
    public void lock() {
        file.enter();
        try {
            core.acquireUninterruptibly();
        } finally {
            file.exit();
        }
    }

    /** Acquires unless interrupted (see {@link #acquire()}). */
    @Override
    public void lockInterruptibly() throws InterruptedException {
        acquire();
    }

    /** Acquires only if free now (see {@link #tryAcquire()}). */
    @Override
    public boolean tryLock() {
        return tryAcquire().acquired();
    }

    /** Acquires if free within the timeout (see {@link #acquire(Duration)}). */
    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        return acquireUntil(Deadlines.after(unit.toNanos(time))).acquired();
    }

    /**
     * Releases one hold of the current thread.
     *
     * @throws IllegalMonitorStateException if the current thread does not hold the lock
     */
    @Override
    public void unlock() {
        file.enter();
        try {
            core.release();
        } finally {
            file.exit();
        }
    }

    /**
     * Not supported: a cross-process condition needs shared state of its own. Use {@link SharedCondition},
     * which holds its own reentrant lock ({@link SharedCondition#getLock()}), like Python's
     * {@code multiprocessing.Condition()}.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public Condition newCondition() {
        throw new UnsupportedOperationException(core.label() + " has no conditions: use SharedCondition, which "
                + "holds its own rlock (SharedCondition.builder(name)...create(), then getLock())");
    }

    /** {@return the file the lock lives in (for an embedded lock, its owner's file)} */
    public Path path() {
        return file.path();
    }

    /**
     * Closes this handle (for an embedded lock, nothing: close the object that owns it). Closing does not
     * release a lock this process holds; other processes wait until this process releases it or exits.
     */
    @Override
    public void close() {
        if (!embedded) {
            file.close(core::wakeWaiters); // this handle's waiting acquires end with the closed error
        }
    }

    /**
     * Removes the lock's name; processes that have it open keep using it.
     *
     * @throws UnsupportedOperationException for an embedded lock (unlink the object that owns it)
     * @throws IOException if the name cannot be removed
     */
    public void unlink() throws IOException {
        if (embedded) {
            throw new UnsupportedOperationException(core.label() + " belongs to another object: unlink that");
        }
        file.unlink();
    }

    @Override
    public String toString() {
        if (file.isClosed()) {
            return core.label() + " [closed]";
        }
        long owner = core.ownerToken();
        return core.label() + (owner == 0 ? " [unlocked]" : " [locked by pid " + ProcessIdentity.pid(owner) + "]");
    }
}
