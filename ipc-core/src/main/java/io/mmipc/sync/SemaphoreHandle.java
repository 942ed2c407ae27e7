package io.mmipc.sync;

import io.mmipc.ObjectFileException;
import io.mmipc.WaitMode;
import io.mmipc.internal.file.ObjectType;
import io.mmipc.internal.file.Registry;
import io.mmipc.internal.file.SharedFile;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.sync.BasicSpec;
import io.mmipc.internal.sync.Deadlines;
import io.mmipc.internal.sync.ObjectOpener;
import io.mmipc.internal.sync.SemaphoreLayout;
import io.mmipc.internal.sync.SemaphoreReclaimer;
import io.mmipc.internal.wait.EventCount;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** What {@link SharedSemaphore} and {@link SharedBoundedSemaphore} share: the semaphore operations. */
abstract class SemaphoreHandle implements AutoCloseable {
    private static final long RECLAIM_INTERVAL_NANOS = 50_000_000L;
    private static final long CHECK_NANOS = 50_000_000L;

    private final SharedFile file;
    private final MappedMemory memory;
    private final EventCount released;
    private final Registry.DeadEntryHandler reclaimer;
    private final int held;
    private final long cap;
    private volatile long lastReclaim;

    SemaphoreHandle(SharedFile file, WaitMode mode) {
        this.file = file;
        this.memory = file.memory();
        this.released = new EventCount(memory, SemaphoreLayout.RELEASED_EVENT, mode);
        this.reclaimer = new SemaphoreReclaimer(mode);
        this.held = SemaphoreLayout.held(file.entry());
        long bound = file.param(SemaphoreLayout.P_BOUND);
        this.cap = bound == SemaphoreLayout.UNBOUNDED ? SemaphoreLayout.MAX_VALUE : bound;
    }

    final SharedFile file() {
        return file;
    }

    /**
     * Takes a permit, waiting as long as there is none.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void acquire() throws InterruptedException {
        acquire(1);
    }

    /**
     * Takes {@code permits} permits at once, waiting until that many are available.
     *
     * @param permits the number of permits, 0 or more
     * @throws InterruptedException if interrupted while waiting
     */
    public void acquire(int permits) throws InterruptedException {
        take(permits, Long.MAX_VALUE);
    }

    /**
     * Takes a permit if one is available now.
     *
     * @return true if the permits were taken, false if not (nothing was taken)
     */
    public boolean tryAcquire() {
        return tryAcquire(1);
    }

    /**
     * Takes {@code permits} permits if that many are available now (first giving back, at most every 50 ms,
     * what dead processes held).
     *
     * @param permits the number of permits, 0 or more
     * @return true if the permits were taken, false if not (nothing was taken)
     */
    public boolean tryAcquire(int permits) {
        file.enter();
        try {
            checkPermits(permits);
            return tryTake(permits) || (reclaimDue() && tryTake(permits));
        } finally {
            file.exit();
        }
    }

    /**
     * Takes a permit if one becomes available within {@code timeout}.
     *
     * @param timeout the longest wait; zero or negative does not wait
     * @return true if the permits were taken, false if not (nothing was taken)
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean tryAcquire(Duration timeout) throws InterruptedException {
        return tryAcquire(1, timeout);
    }

    /**
     * Takes {@code permits} permits if that many become available within {@code timeout}.
     *
     * @param permits the number of permits, 0 or more
     * @param timeout the longest wait; zero or negative does not wait
     * @return true if the permits were taken, false if not (nothing was taken)
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean tryAcquire(int permits, Duration timeout) throws InterruptedException {
        return take(permits, Deadlines.after(timeout));
    }

    /**
     * Takes a permit if one becomes available within the timeout.
     *
     * @param timeout the longest wait, in {@code unit}; zero or negative does not wait
     * @param unit the unit of {@code timeout}
     * @return true if the permits were taken, false if not (nothing was taken)
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
        return take(1, Deadlines.after(unit.toNanos(timeout)));
    }

    /**
     * Takes a permit (waiting as long as it takes, ignoring interrupts; the interrupt status is kept) and
     * returns it as a resource: closing the hold releases the permit. Python's {@code with sem:}.
     *
     * @return the permit as a resource; closing it releases the permit
     */
    public LockHold hold() {
        boolean interrupted = false;
        while (true) {
            try {
                take(1, Long.MAX_VALUE);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return new LockHold(this::release, false);
    }

    private boolean take(int permits, long deadline) throws InterruptedException {
        file.enter();
        try {
            checkPermits(permits);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            // A close of this handle wakes the wait (see close()) and ends it with the closed error.
            return released.await(() -> {
                if (file.isClosed()) {
                    throw file.closedError();
                }
                return tryTake(permits) || (reclaimDue() && tryTake(permits));
            }, deadline, CHECK_NANOS);
        } finally {
            file.exit();
        }
    }

    private static int checkPermits(int permits) {
        if (permits < 0) {
            throw new IllegalArgumentException("permits must not be negative: permits=" + permits);
        }
        return permits;
    }

    private boolean tryTake(int permits) {
        while (true) {
            long v = memory.getLongVolatile(SemaphoreLayout.VALUE);
            if (v < permits) {
                return false;
            }
            // CAS (volatile): takes the permits; what their releaser wrote before releasing is visible now.
            if (memory.compareAndSetLong(SemaphoreLayout.VALUE, v, v - permits)) {
                // NOTE: a death between the CAS and this add loses the permits (never creates any).
                memory.getAndAddLong(held, permits);
                return true;
            }
        }
    }

    /** Every RECLAIM_INTERVAL while waiting: give back what dead processes held. True if any came back. */
    private boolean reclaimDue() {
        long now = System.nanoTime();
        if (now - lastReclaim < RECLAIM_INTERVAL_NANOS) {
            return false;
        }
        lastReclaim = now;
        return Registry.reclaimDead(memory, file.label(), reclaimer) > 0;
    }

    /** Gives back a permit and wakes waiters. */
    public void release() {
        release(1);
    }

    /**
     * Gives back {@code permits} permits and wakes waiters.
     *
     * @param permits the number of permits, 0 or more
     * @throws IllegalStateException if a bounded semaphore would go above its bound (Python's ValueError:
     *                               "released too many times"); nothing is released then
     */
    public void release(int permits) {
        file.enter();
        try {
            checkPermits(permits);
            // NOTE: the held count drops first, so a death between the two steps loses permits, never creates them.
            memory.getAndAddLong(held, -permits);
            while (true) {
                long v = memory.getLongVolatile(SemaphoreLayout.VALUE);
                if (v + permits > cap) {
                    memory.getAndAddLong(held, permits);
                    throw new IllegalStateException(file.label() + " released too many times: value=" + v + ", permits="
                            + permits + ", bound=" + cap);
                }
                // CAS (volatile): publishes this thread's writes to the next acquirer, and orders the sleepers check.
                if (memory.compareAndSetLong(SemaphoreLayout.VALUE, v, v + permits)) {
                    break;
                }
            }
            released.signalAll();
        } finally {
            file.exit();
        }
    }

    /** {@return the permits available now (Python's {@code get_value()})} */
    public int availablePermits() {
        file.enter();
        try {
            return (int) memory.getLongVolatile(SemaphoreLayout.VALUE);
        } finally {
            file.exit();
        }
    }

    /** {@return the permits this process acquired and has not released (negative if it released more)} */
    public long permitsHeldByThisProcess() {
        file.enter();
        try {
            return memory.getLongVolatile(held);
        } finally {
            file.exit();
        }
    }

    /** {@return how many permits have been given back for processes that died (or left) holding them} */
    public long permitsReturned() {
        file.enter();
        try {
            return memory.getLongVolatile(SemaphoreLayout.RETURNED);
        } finally {
            file.exit();
        }
    }

    /** {@return the file the semaphore lives in} */
    public Path path() {
        return file.path();
    }

    /**
     * Closes this handle. If it was this process's last handle on the semaphore, permits this process
     * still holds are given back (unless created with {@code reclaimDeadHolders(false)}).
     */
    @Override
    public void close() {
        file.close(released::signalAll); // this handle's waiting acquires end with the closed error
    }

    /**
     * Removes the semaphore's name; processes that have it open keep using it.
     *
     * @throws IOException if the name cannot be removed
     */
    public void unlink() throws IOException {
        file.unlink();
    }

    @Override
    public String toString() {
        return file.label() + (file.isClosed() ? " [closed]" : " [value=" + memory.getLongVolatile(SemaphoreLayout.VALUE)
                + (cap == SemaphoreLayout.MAX_VALUE ? "" : ", bound=" + cap) + "]");
    }

    /** Shared by the plain and bounded builders: creation parameters and checks on open. */
    static <T> ObjectOpener.Spec<T> spec(String label, int value, boolean valueSet, boolean bounded,
                                         Boolean reclaim, java.util.function.BiFunction<SharedFile, WaitMode, T> make) {
        return new BasicSpec<>(ObjectType.SEMAPHORE, SemaphoreLayout.VERSION, SemaphoreLayout.FILE_SIZE) {
            @Override
            public long[] params() {
                long[] p = new long[3];
                p[SemaphoreLayout.P_INITIAL] = value;
                p[SemaphoreLayout.P_BOUND] = bounded ? value : SemaphoreLayout.UNBOUNDED;
                p[SemaphoreLayout.P_FLAGS] = reclaim == null || reclaim ? SemaphoreLayout.FLAG_RECLAIM : 0;
                return p;
            }

            @Override
            public void init(MappedMemory memory) {
                memory.putLong(SemaphoreLayout.VALUE, value);
            }

            @Override
            public io.mmipc.internal.file.Registry.DeadEntryHandler reclaimer(WaitMode mode) {
                return new SemaphoreReclaimer(mode);
            }

            @Override
            public void validate(SharedFile file) throws ObjectFileException {
                super.validate(file);
                Path p = file.path();
                long initial = file.param(SemaphoreLayout.P_INITIAL);
                long bound = file.param(SemaphoreLayout.P_BOUND);
                long flags = file.param(SemaphoreLayout.P_FLAGS);
                SharedFile.check(initial >= 0 && initial <= SemaphoreLayout.MAX_VALUE, p,
                        "corrupt semaphore header: initial=" + initial);
                SharedFile.check(bound == SemaphoreLayout.UNBOUNDED || bound == initial, p,
                        "corrupt semaphore header: bound=" + bound + ", initial=" + initial);
                SharedFile.check((flags & ~SemaphoreLayout.FLAG_RECLAIM) == 0, p,
                        "corrupt semaphore header: flags=" + flags);
                if (bounded) {
                    SharedFile.check(bound != SemaphoreLayout.UNBOUNDED, p,
                            label + " is not bounded: open it as SharedSemaphore");
                }
                if (valueSet) {
                    SharedFile.check(initial == value, p, "initial value mismatch: requested=" + value
                            + ", file=" + initial);
                }
                if (reclaim != null) {
                    boolean fileReclaims = (flags & SemaphoreLayout.FLAG_RECLAIM) != 0;
                    SharedFile.check(fileReclaims == reclaim, p, "reclaimDeadHolders mismatch: requested="
                            + reclaim + ", file=" + fileReclaims);
                }
            }

            @Override
            public T make(SharedFile file, WaitMode mode) {
                return make.apply(file, mode);
            }
        };
    }

    static int checkValue(int permits) {
        if (permits < 0) {
            throw new IllegalArgumentException("semaphore value must not be negative: value=" + permits);
        }
        return permits;
    }
}
