package io.mmipc.sync;

import io.mmipc.WaitMode;
import io.mmipc.internal.file.ObjectType;
import io.mmipc.internal.file.Registry;
import io.mmipc.internal.file.SharedFile;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.sync.BasicSpec;
import io.mmipc.internal.sync.ConditionLayout;
import io.mmipc.internal.sync.Deadlines;
import io.mmipc.internal.sync.LockCore;
import io.mmipc.internal.sync.ObjectOpener;
import io.mmipc.internal.wait.EventCount;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.function.BooleanSupplier;

/**
 * Python's {@code multiprocessing.Condition} for Java: a condition variable shared by processes, bound to
 * its own reentrant lock ({@link #getLock()}, Python's default {@code RLock}), and a
 * {@link java.util.concurrent.locks.Condition}. Every method needs the lock held by the calling thread
 * ({@link IllegalMonitorStateException} otherwise). Waiting releases the lock completely (whatever the hold
 * count) and takes it back, with the same hold count, before returning, also on timeout or interrupt.
 *
 * <table>
 *   <caption>Python to Java</caption>
 *   <tr><th>Python</th><th>here</th></tr>
 *   <tr><td>{@code with cond:} / {@code acquire()}, {@code release()}</td>
 *       <td>{@code try (LockHold h = cond.hold())} / {@code getLock().lock()}, {@code unlock()}</td></tr>
 *   <tr><td>{@code wait()}, {@code wait(timeout)}</td><td>{@link #await()}, {@link #await(Duration)}</td></tr>
 *   <tr><td>{@code wait_for(predicate, timeout)}</td><td>{@link #waitFor(BooleanSupplier, Duration)}</td></tr>
 *   <tr><td>{@code notify(n)}</td><td>{@link #signal(int)}</td></tr>
 *   <tr><td>{@code notify_all()}</td><td>{@link #signalAll()}</td></tr>
 * </table>
 *
 * <p>A signal wakes only threads that were waiting when it was given, and at least {@code n} of them if
 * that many wait; like Python's and Java's conditions, a waiter may occasionally wake without a signal
 * (notably when another waiter's process died), so wait in a loop or use {@link #waitFor}. A waiter whose
 * process dies is forgotten. If the lock's owner dies, a waiter re-acquiring it takes it over:
 * {@code getLock().acquiredFromDeadOwner()} then says so.
 *
 * Layout: see {@code io.mmipc.internal.sync.ConditionLayout}.
 */
public final class SharedCondition implements Condition, AutoCloseable {
    private static final long CHECK_NANOS = 1_000_000_000L;

    private final SharedFile file;
    private final MappedMemory memory;
    private final LockCore core;
    private final SharedRLock lock;
    private final EventCount notified;
    private final int waiting;

    private SharedCondition(SharedFile file, WaitMode mode, String label) {
        this.file = file;
        this.memory = file.memory();
        this.core = new LockCore(memory, ConditionLayout.LOCK, mode, true, label + " lock");
        this.lock = new SharedRLock(file, core, true);
        this.notified = new EventCount(memory, ConditionLayout.NOTIFIED_EVENT, mode);
        this.waiting = ConditionLayout.waiting(file.entry());
    }

    /**
     * Starts building a condition named {@code name}: then {@code create()}, {@code open()} or
     * {@code openOrCreate()}.
     *
     * @param name the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @return the builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Creates a condition in the default folder.
     *
     * @param name the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @return a handle on the new condition
     * @throws IOException if the file cannot be created or mapped ({@link java.nio.file.FileAlreadyExistsException} if
     *                     the name is taken)
     */
    public static SharedCondition create(String name) throws IOException {
        return builder(name).create();
    }

    /**
     * Opens an existing condition in the default folder.
     *
     * @param name the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @return a handle on the condition
     * @throws IOException if the file cannot be opened or mapped, or is not such an object ({@link
     *                     java.nio.file.NoSuchFileException} if there is none)
     */
    public static SharedCondition open(String name) throws IOException {
        return builder(name).open();
    }

    /**
     * Opens the condition in the default folder, creating it if it does not exist.
     *
     * @param name the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @return a handle on the condition
     * @throws IOException if the file cannot be opened, created or mapped, or is not such an object
     */
    public static SharedCondition openOrCreate(String name) throws IOException {
        return builder(name).openOrCreate();
    }

    /** {@return the condition's own reentrant lock (closed and unlinked with the condition)} */
    public SharedRLock getLock() {
        return lock;
    }

    /**
     * Takes the condition's lock for try-with-resources: Python's {@code with cond:}.
     *
     * @return the lock's hold; closing it unlocks
     */
    public LockHold hold() {
        return lock.hold();
    }

    /**
     * Waits until signalled or interrupted. Python's {@code wait()}.
     *
     * @throws InterruptedException         if interrupted before or while waiting (the lock is held again)
     * @throws IllegalMonitorStateException if the current thread does not hold the lock
     */
    @Override
    public void await() throws InterruptedException {
        awaitUntilNanos(Long.MAX_VALUE, true);
    }

    /**
     * Waits until signalled, interrupted, or the timeout passes. Python's {@code wait(timeout)}.
     *
     * @param timeout the longest wait; zero or negative does not wait
     * @return true if signalled, false if the timeout passed
     * @throws InterruptedException         if interrupted before or while waiting (the lock is held again)
     * @throws IllegalMonitorStateException if the current thread does not hold the lock
     */
    public boolean await(Duration timeout) throws InterruptedException {
        return awaitUntilNanos(Deadlines.after(timeout), true);
    }

    @Override
    public boolean await(long time, TimeUnit unit) throws InterruptedException {
        return awaitUntilNanos(Deadlines.after(unit.toNanos(time)), true);
    }

    @Override
    public long awaitNanos(long nanosTimeout) throws InterruptedException {
        long deadline = Deadlines.after(nanosTimeout);
        awaitUntilNanos(deadline, true);
        return deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
    }

    @Override
    public boolean awaitUntil(Date deadline) throws InterruptedException {
        long millis = deadline.getTime() - System.currentTimeMillis();
        return awaitUntilNanos(Deadlines.after(TimeUnit.MILLISECONDS.toNanos(millis)), true);
    }

    /** Waits until signalled; interrupts are remembered (the interrupt status is set on return), not obeyed. */
    @Override
    public void awaitUninterruptibly() {
        try {
            awaitUntilNanos(Long.MAX_VALUE, false);
        } catch (InterruptedException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /**
     * Python's {@code wait_for(predicate, timeout)}: waits until {@code predicate} is true, re-checking it
     * after every wake-up, with the lock held.
     *
     * @param predicate what to wait for; evaluated with the lock held
     * @param timeout   how long to wait at most
     * @return the last value of the predicate (false only if the timeout passed)
     * @throws InterruptedException if interrupted while waiting (the lock is held again)
     */
    public boolean waitFor(BooleanSupplier predicate, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(predicate, "predicate");
        long deadline = Deadlines.after(timeout);
        boolean result = predicate.getAsBoolean();
        while (!result) {
            if (deadline != Long.MAX_VALUE && deadline - System.nanoTime() <= 0) {
                break;
            }
            awaitUntilNanos(deadline, true);
            result = predicate.getAsBoolean();
        }
        return result;
    }

    /**
     * Waits as the public methods describe. A close of this handle while waiting wakes the wait, which then
     * leaves without taking a signal (another waiter gets it) and throws the closed error <em>without</em>
     * taking the lock again: a lock taken through a closed handle could never be released.
     */
    private boolean awaitUntilNanos(long deadline, boolean interruptible) throws InterruptedException {
        file.enter(); // the mapping stays until this wait has left the waiter counts
        try {
            return awaitEntered(deadline, interruptible);
        } finally {
            file.exit();
        }
    }

    private boolean awaitEntered(long deadline, boolean interruptible) throws InterruptedException {
        core.checkHeld();
        if (interruptible && Thread.interrupted()) {
            throw new InterruptedException();
        }
        enter();
        // Read with the lock held: a signal given after this point (it needs the lock) makes us eligible.
        long seen = memory.getLongVolatile(ConditionLayout.SEQUENCE);
        int holds = core.releaseAll();
        boolean signalled = false;
        boolean interrupted = false;
        boolean closed = false;
        boolean[] took = new boolean[1];
        try {
            while (true) {
                try {
                    notified.await(() -> file.isClosed()
                                    || memory.getLongVolatile(ConditionLayout.SEQUENCE) != seen && (took[0] = tryConsume()),
                            deadline, CHECK_NANOS);
                    signalled = took[0];
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                    if (interruptible) {
                        break;
                    }
                }
            }
        } finally {
            closed = !signalled && file.isClosed();
            if (!signalled) {
                signalled = leave(seen, !closed);
            }
            if (!closed) {
                core.acquireUninterruptibly();
                core.restoreHolds(holds);
            }
        }
        if (closed) {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            throw file.closedError();
        }
        if (interrupted) {
            if (interruptible && !signalled) {
                throw new InterruptedException();
            }
            Thread.currentThread().interrupt();
        }
        return signalled;
    }

    /** Counts this thread as a waiter: shared count first, so a death in between leaves only a phantom. */
    private void enter() {
        long v;
        do {
            v = memory.getLongVolatile(ConditionLayout.STATE);
        } while (!memory.compareAndSetLong(ConditionLayout.STATE, v,
                ConditionLayout.state(ConditionLayout.waiters(v) + 1, ConditionLayout.signals(v))));
        memory.getAndAddLong(waiting, 1);
    }

    /** Takes a pending signal if there is one (this thread is eligible). Process count first: see enter(). */
    private boolean tryConsume() {
        memory.getAndAddLong(waiting, -1);
        while (true) {
            long v = memory.getLongVolatile(ConditionLayout.STATE);
            long s = ConditionLayout.signals(v);
            if (s == 0) {
                memory.getAndAddLong(waiting, 1);
                return false;
            }
            long w = Math.max(1, ConditionLayout.waiters(v));
            if (memory.compareAndSetLong(ConditionLayout.STATE, v, ConditionLayout.state(w - 1, s - 1))) {
                return true;
            }
        }
    }

    /**
     * Stops waiting after a timeout or interrupt: takes a pending signal if eligible and {@code mayTake}
     * (returns true, the wait counts as signalled), else just leaves (a closing handle leaves signals to others).
     */
    private boolean leave(long seen, boolean mayTake) {
        memory.getAndAddLong(waiting, -1);
        while (true) {
            // State first, then the sequence: a notifier bumps the sequence before raising signals, so a raise
            // seen here comes with the bump that makes this thread eligible for it.
            long v = memory.getLongVolatile(ConditionLayout.STATE);
            boolean eligible = mayTake && memory.getLongVolatile(ConditionLayout.SEQUENCE) != seen;
            long w = Math.max(1, ConditionLayout.waiters(v));
            long s = ConditionLayout.signals(v);
            if (eligible && s > 0) {
                if (memory.compareAndSetLong(ConditionLayout.STATE, v, ConditionLayout.state(w - 1, s - 1))) {
                    return true;
                }
            } else if (memory.compareAndSetLong(ConditionLayout.STATE, v,
                    ConditionLayout.state(w - 1, Math.min(s, w - 1)))) {
                return false;
            }
        }
    }

    /**
     * Wakes one waiting thread, if any. Python's {@code notify()}.
     *
     * @throws IllegalMonitorStateException if the current thread does not hold the lock
     */
    @Override
    public void signal() {
        signal(1);
    }

    /**
     * Wakes up to {@code n} threads that are waiting now (in any process). Python's {@code notify(n)}.
     *
     * @param n the most waiting threads to wake (0 or less wakes none)
     * @throws IllegalMonitorStateException if the current thread does not hold the lock
     */
    public void signal(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative: n=" + n);
        }
        raise(n);
    }

    /**
     * Wakes every thread waiting now. Python's {@code notify_all()}.
     *
     * @throws IllegalMonitorStateException if the current thread does not hold the lock
     */
    @Override
    public void signalAll() {
        raise(Long.MAX_VALUE);
    }

    private void raise(long n) {
        file.enter();
        try {
            core.checkHeld();
            // Volatile: the bump is visible before the raised signals (see leave()).
            memory.getAndAddLong(ConditionLayout.SEQUENCE, 1);
            long v;
            long next;
            do {
                v = memory.getLongVolatile(ConditionLayout.STATE);
                long w = ConditionLayout.waiters(v);
                long s = ConditionLayout.signals(v);
                next = ConditionLayout.state(w, Math.min(w, s + Math.min(n, w)));
                if (next == v) {
                    return;
                }
            } while (!memory.compareAndSetLong(ConditionLayout.STATE, v, next));
            notified.signalAll();
        } finally {
            file.exit();
        }
    }

    /** {@return the number of threads (in all processes) waiting now and not yet signalled, an estimate} */
    public int waiters() {
        file.enter();
        try {
            long v = memory.getLongVolatile(ConditionLayout.STATE);
            return (int) Math.max(0, ConditionLayout.waiters(v) - ConditionLayout.signals(v));
        } finally {
            file.exit();
        }
    }

    /** {@return the file the condition lives in} */
    public Path path() {
        return file.path();
    }

    /**
     * Closes this handle (and its lock handle). Threads of this process waiting on it wake and get the
     * closed error (an {@code await} without the lock held again); other processes are not affected.
     */
    @Override
    public void close() {
        file.close(() -> {
            notified.signalAll();
            core.wakeWaiters();
        });
    }

    /**
     * Removes the condition's name; processes that have it open keep using it.
     *
     * @throws IOException if the name cannot be removed
     */
    public void unlink() throws IOException {
        file.unlink();
    }

    @Override
    public String toString() {
        return file.label() + (file.isClosed() ? " [closed]" : " [waiters=" + waiters() + "]");
    }

    /** Builds a {@link SharedCondition}; it has no parameters beyond those of {@link SyncBuilder}. */
    public static final class Builder extends SyncBuilder<SharedCondition, Builder> {
        Builder(String name) {
            super(name, ObjectType.CONDITION);
        }

        @Override
        ObjectOpener.Spec<SharedCondition> spec() {
            String label = label();
            return new BasicSpec<>(ObjectType.CONDITION, ConditionLayout.VERSION, ConditionLayout.FILE_SIZE) {
                @Override
                public Registry.DeadEntryHandler reclaimer(WaitMode mode) {
                    return (memory, index, token, died) -> ConditionLayout.forgetWaiters(memory, index);
                }

                @Override
                public SharedCondition make(SharedFile file, WaitMode mode) {
                    return new SharedCondition(file, mode, label);
                }
            };
        }
    }
}
