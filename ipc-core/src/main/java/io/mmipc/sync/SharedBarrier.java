package io.mmipc.sync;

import io.mmipc.ObjectFileException;
import io.mmipc.WaitMode;
import io.mmipc.internal.file.ObjectType;
import io.mmipc.internal.file.Registry;
import io.mmipc.internal.file.SharedFile;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.sync.BarrierLayout;
import io.mmipc.internal.sync.BasicSpec;
import io.mmipc.internal.sync.Deadlines;
import io.mmipc.internal.sync.ObjectOpener;
import io.mmipc.internal.wait.EventCount;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;

/**
 * Python's {@code multiprocessing.Barrier} for Java: a cyclic barrier for a fixed number of parties
 * (threads in any processes). Each calls {@link #await()} (Python's {@code wait()}); all are released
 * together when the last arrives, and the barrier is ready for the next round.
 *
 * <p><b>Broken, not hung.</b> The barrier breaks, and every waiter throws {@link BrokenBarrierException},
 * when a waiter times out (it throws {@link TimeoutException}) or is interrupted, when {@link #abort()} is
 * called, when the action throws, and when <em>a process that has the barrier open dies</em>: a party
 * that will never arrive. Waiters notice a dead process within about 50 ms. It stays broken until
 * {@link #reset()}. Close the barrier before a process exits normally, or its exit counts as a death.
 *
 * <p>The return value of {@code await} is the arrival index, as in Python: 0 for the first party to
 * arrive, {@code parties - 1} for the last (Java's {@code CyclicBarrier} counts the other way).
 *
 * Layout: see {@code io.mmipc.internal.sync.BarrierLayout}.
 */
public final class SharedBarrier implements AutoCloseable {
    private static final long CHECK_NANOS = 50_000_000L;
    private static final long RECLAIM_INTERVAL_NANOS = 50_000_000L;

    private final SharedFile file;
    private final MappedMemory memory;
    private final EventCount changed;
    private final Registry.DeadEntryHandler reclaimer;
    private final int parties;
    private final Runnable action;
    private volatile long lastReclaim;

    private SharedBarrier(SharedFile file, WaitMode mode, Runnable action) {
        this.file = file;
        this.memory = file.memory();
        this.changed = new EventCount(memory, BarrierLayout.CHANGED_EVENT, mode);
        this.reclaimer = reclaimer(mode);
        this.parties = (int) file.param(BarrierLayout.P_PARTIES);
        this.action = action;
    }

    private static Registry.DeadEntryHandler reclaimer(WaitMode mode) {
        return (memory, index, token, died) -> {
            if (died) {
                breakGeneration(memory);
                new EventCount(memory, BarrierLayout.CHANGED_EVENT, mode).signalAll();
            }
        };
    }

    /**
     * Starts building a barrier named {@code name}: then {@code parties(n)} and {@code create()},
     * {@code open()} or {@code openOrCreate()}.
     *
     * @param name the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @return the builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Creates a barrier for {@code parties} parties in the default folder.
     *
     * @param name the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @param parties the number of parties, at least 1
     * @return a handle on the new barrier
     * @throws IOException if the file cannot be created or mapped ({@link java.nio.file.FileAlreadyExistsException} if
     *                     the name is taken)
     */
    public static SharedBarrier create(String name, int parties) throws IOException {
        return builder(name).parties(parties).create();
    }

    /**
     * Opens an existing barrier in the default folder.
     *
     * @param name the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @return a handle on the barrier
     * @throws IOException if the file cannot be opened or mapped, or is not such an object ({@link
     *                     java.nio.file.NoSuchFileException} if there is none)
     */
    public static SharedBarrier open(String name) throws IOException {
        return builder(name).open();
    }

    /** {@return the number of parties needed to pass} */
    public int parties() {
        return parties;
    }

    /** {@return how many parties are waiting in the current round (Python's {@code n_waiting})} */
    public int numberWaiting() {
        file.enter();
        try {
            long v = memory.getLongVolatile(BarrierLayout.STATE);
            return BarrierLayout.phase(v) == BarrierLayout.FILLING ? BarrierLayout.arrived(v) : 0;
        } finally {
            file.exit();
        }
    }

    /** {@return whether the barrier is broken (Python's {@code broken})} */
    public boolean isBroken() {
        file.enter();
        try {
            return BarrierLayout.phase(memory.getLongVolatile(BarrierLayout.STATE)) == BarrierLayout.BROKEN;
        } finally {
            file.exit();
        }
    }

    /**
     * Waits until all parties have arrived.
     *
     * @return the arrival index: 0 for the first party, {@code parties - 1} for the last
     * @throws BrokenBarrierException if the barrier is or becomes broken while waiting
     * @throws InterruptedException   if interrupted (the barrier is then broken for the others)
     */
    public int await() throws InterruptedException, BrokenBarrierException {
        try {
            return awaitUntil(Long.MAX_VALUE);
        } catch (TimeoutException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /**
     * Waits until all parties have arrived, at most {@code timeout}: Python's {@code wait(timeout)}.
     *
     * @param timeout the longest wait; zero or negative does not wait
     * @return the arrival index: 0 for the first party, {@code parties - 1} for the last
     * @throws TimeoutException       if the timeout passed (the barrier is then broken for the others)
     * @throws BrokenBarrierException if the barrier is or becomes broken while waiting
     * @throws InterruptedException   if interrupted (the barrier is then broken for the others)
     */
    public int await(Duration timeout) throws InterruptedException, BrokenBarrierException, TimeoutException {
        return awaitUntil(Deadlines.after(timeout));
    }

    private int awaitUntil(long deadline) throws InterruptedException, BrokenBarrierException, TimeoutException {
        file.enter();
        try {
            return arrive(deadline);
        } finally {
            file.exit();
        }
    }

    private int arrive(long deadline) throws InterruptedException, BrokenBarrierException, TimeoutException {
        if (Thread.interrupted()) {
            breakAndSignal();
            throw new InterruptedException();
        }
        while (true) {
            long v = memory.getLongVolatile(BarrierLayout.STATE);
            int generation = BarrierLayout.generation(v);
            int phase = BarrierLayout.phase(v);
            int arrived = BarrierLayout.arrived(v);
            if (phase == BarrierLayout.BROKEN) {
                throw broken();
            }
            if (phase == BarrierLayout.TRIPPING) {
                // The last party of this round runs its action: join the next round once it starts.
                if (!changed.await(() -> {
                    if (file.isClosed()) {
                        throw file.closedError(); // not arrived yet: nothing to undo
                    }
                    return memory.getLongVolatile(BarrierLayout.STATE) != v
                            || (reclaimDue() && memory.getLongVolatile(BarrierLayout.STATE) != v);
                }, deadline, CHECK_NANOS)) {
                    throw new TimeoutException(file.label() + ": timed out waiting for the previous round's action");
                }
                continue;
            }
            if (arrived + 1 == parties) {
                if (memory.compareAndSetLong(BarrierLayout.STATE, v,
                        BarrierLayout.state(generation, BarrierLayout.TRIPPING, parties))) {
                    trip(generation);
                    return arrived;
                }
            } else if (memory.compareAndSetLong(BarrierLayout.STATE, v,
                    BarrierLayout.state(generation, BarrierLayout.FILLING, arrived + 1))) {
                waitForRelease(generation, deadline);
                return arrived;
            }
        }
    }

    /** The last party: runs the action, then starts the next generation, releasing the others. */
    private void trip(int generation) throws BrokenBarrierException {
        if (action != null) {
            try {
                action.run();
            } catch (RuntimeException | Error e) {
                breakAndSignal();
                throw e;
            }
        }
        clearHistory(generation + 1);
        // CAS (volatile): publishes every party's writes before the barrier (they arrived with CASes) to all.
        boolean released = memory.compareAndSetLong(BarrierLayout.STATE,
                BarrierLayout.state(generation, BarrierLayout.TRIPPING, parties),
                BarrierLayout.state(generation + 1, BarrierLayout.FILLING, 0));
        changed.signalAll();
        if (!released) {
            throw broken();
        }
    }

    private void waitForRelease(int generation, long deadline)
            throws InterruptedException, BrokenBarrierException, TimeoutException {
        boolean done;
        try {
            done = changed.await(() -> file.isClosed() || ended(generation)
                    || (reclaimDue() && ended(generation)), deadline, CHECK_NANOS);
        } catch (InterruptedException e) {
            if (!breakGeneration(memory, generation)) {
                outcome(generation);
                Thread.currentThread().interrupt();
                return;
            }
            changed.signalAll();
            throw e;
        }
        if (done && !ended(generation) && file.isClosed()) {
            // This handle was closed while its party waited: the party leaves, so the round breaks (as on an
            // interrupt) and the others are told.
            if (breakGeneration(memory, generation)) {
                changed.signalAll();
                throw file.closedError();
            }
        }
        if (!done) {
            if (breakGeneration(memory, generation)) {
                changed.signalAll();
                throw new TimeoutException(file.label() + ": timed out waiting for " + parties + " parties");
            }
        }
        outcome(generation);
    }

    private boolean ended(int generation) {
        long v = memory.getLongVolatile(BarrierLayout.STATE);
        return BarrierLayout.generation(v) != generation || BarrierLayout.phase(v) == BarrierLayout.BROKEN;
    }

    /** After generation {@code generation} ended: returns if it released its parties, throws if it broke. */
    private void outcome(int generation) throws BrokenBarrierException {
        long v = memory.getLongVolatile(BarrierLayout.STATE);
        if (BarrierLayout.generation(v) == generation) {
            if (BarrierLayout.phase(v) == BarrierLayout.BROKEN) {
                throw broken();
            }
            return;
        }
        int passed = BarrierLayout.generation(v) - generation;
        if (passed > 0 && passed < 64
                && (memory.getLongVolatile(BarrierLayout.HISTORY) & BarrierLayout.historyBit(generation)) != 0) {
            throw broken();
        }
    }

    private BrokenBarrierException broken() {
        return new BrokenBarrierException(file.label() + " is broken (a party timed out, was interrupted or "
                + "died, or the barrier was reset or aborted)");
    }

    /** Breaks generation {@code generation} if it is still running; false if it already ended or broke. */
    private static boolean breakGeneration(MappedMemory memory, int generation) {
        while (true) {
            long v = memory.getLongVolatile(BarrierLayout.STATE);
            if (BarrierLayout.generation(v) != generation || BarrierLayout.phase(v) == BarrierLayout.BROKEN) {
                return false;
            }
            if (memory.compareAndSetLong(BarrierLayout.STATE, v,
                    BarrierLayout.state(generation, BarrierLayout.BROKEN, BarrierLayout.arrived(v)))) {
                return true;
            }
        }
    }

    private static void breakGeneration(MappedMemory memory) {
        breakGeneration(memory, BarrierLayout.generation(memory.getLongVolatile(BarrierLayout.STATE)));
    }

    private void breakAndSignal() {
        breakGeneration(memory);
        changed.signalAll();
    }

    private void clearHistory(int generation) {
        long bit = BarrierLayout.historyBit(generation);
        long h;
        do {
            h = memory.getLongVolatile(BarrierLayout.HISTORY);
        } while ((h & bit) != 0 && !memory.compareAndSetLong(BarrierLayout.HISTORY, h, h & ~bit));
    }

    /** Every RECLAIM_INTERVAL while waiting: a process found dead breaks the barrier (via the handler). */
    private boolean reclaimDue() {
        long now = System.nanoTime();
        if (now - lastReclaim < RECLAIM_INTERVAL_NANOS) {
            return false;
        }
        lastReclaim = now;
        return Registry.reclaimDead(memory, file.label(), reclaimer) > 0;
    }

    /** Breaks the barrier: current and future waiters throw {@link BrokenBarrierException} until reset. */
    public void abort() {
        file.enter();
        try {
            breakAndSignal();
        } finally {
            file.exit();
        }
    }

    /**
     * Returns the barrier to its initial state, empty and not broken. Parties waiting in the current round
     * throw {@link BrokenBarrierException}.
     */
    public void reset() {
        file.enter();
        try {
            while (true) {
                long v = memory.getLongVolatile(BarrierLayout.STATE);
                int generation = BarrierLayout.generation(v);
                if (BarrierLayout.phase(v) != BarrierLayout.BROKEN && !breakGeneration(memory, generation)) {
                    continue;
                }
                long bit = BarrierLayout.historyBit(generation);
                long h;
                do {
                    h = memory.getLongVolatile(BarrierLayout.HISTORY);
                } while (!memory.compareAndSetLong(BarrierLayout.HISTORY, h, h | bit));
                clearHistory(generation + 1);
                long brokenState = memory.getLongVolatile(BarrierLayout.STATE);
                if (BarrierLayout.generation(brokenState) == generation) {
                    memory.compareAndSetLong(BarrierLayout.STATE, brokenState,
                            BarrierLayout.state(generation + 1, BarrierLayout.FILLING, 0));
                }
                changed.signalAll();
                return;
            }
        } finally {
            file.exit();
        }
    }

    /** {@return the file the barrier lives in} */
    public Path path() {
        return file.path();
    }

    /** Closes this handle (a normal departure: it does not break the barrier). */
    @Override
    public void close() {
        file.close(changed::signalAll); // this handle's waiting party leaves, breaking the round
    }

    /**
     * Removes the barrier's name; processes that have it open keep using it.
     *
     * @throws IOException if the name cannot be removed
     */
    public void unlink() throws IOException {
        file.unlink();
    }

    @Override
    public String toString() {
        return file.label() + (file.isClosed() ? " [closed]" : " [parties=" + parties + ", waiting="
                + numberWaiting() + (isBroken() ? ", broken" : "") + "]");
    }

    /** Builds a {@link SharedBarrier}: its number of parties, and this handle's action. */
    public static final class Builder extends SyncBuilder<SharedBarrier, Builder> {
        private int parties;
        private Runnable action;

        Builder(String name) {
            super(name, ObjectType.BARRIER);
        }

        /**
         * The number of parties (required to create; on open, if set, it must match).
         *
         * @param n the number of parties, at least 1
         * @return this builder
         */
        public Builder parties(int n) {
            if (n < 1 || n > BarrierLayout.MAX_PARTIES) {
                throw new IllegalArgumentException("parties out of range [1, 2^30): parties=" + n);
            }
            this.parties = n;
            return this;
        }

        /**
         * Python's {@code action}: run by the last party to arrive, through its own handle, before the others
         * are released. If it throws, the barrier breaks and the exception reaches that party.
         *
         * @param action the action, or null for none
         * @return this builder
         */
        public Builder action(Runnable action) {
            this.action = action;
            return this;
        }

        @Override
        ObjectOpener.Spec<SharedBarrier> spec() {
            int requested = parties;
            Runnable act = action;
            String label = label();
            return new BasicSpec<>(ObjectType.BARRIER, BarrierLayout.VERSION, BarrierLayout.FILE_SIZE) {
                @Override
                public long[] params() {
                    if (requested == 0) {
                        throw new IllegalStateException(label + ": parties(n) is required to create a barrier");
                    }
                    long[] p = new long[1];
                    p[BarrierLayout.P_PARTIES] = requested;
                    return p;
                }

                @Override
                public Registry.DeadEntryHandler reclaimer(WaitMode mode) {
                    return SharedBarrier.reclaimer(mode);
                }

                @Override
                public void validate(SharedFile file) throws ObjectFileException {
                    super.validate(file);
                    long found = file.param(BarrierLayout.P_PARTIES);
                    SharedFile.check(found >= 1 && found <= BarrierLayout.MAX_PARTIES, file.path(),
                            "corrupt barrier header: parties=" + found);
                    if (requested != 0) {
                        SharedFile.check(found == requested, file.path(), "parties mismatch: requested="
                                + requested + ", file=" + found);
                    }
                }

                @Override
                public SharedBarrier make(SharedFile file, WaitMode mode) {
                    return new SharedBarrier(file, mode, act);
                }
            };
        }
    }
}
