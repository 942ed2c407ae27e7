package io.mmipc.internal.wait;

import io.mmipc.internal.file.Registry;
import io.mmipc.internal.log.Log;
import io.mmipc.internal.mem.MappedMemory;

import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The per-process watcher that lets futex sleeps be long (issue 17: a futex sleeper that woke every 10 ms to
 * look for interrupts cost 3 % of a core). A thread blocked in {@code futex(FUTEX_WAIT)} does not notice
 * {@link Thread#interrupt()}; so while any thread of this process sleeps on a futex, one daemon thread looks
 * every {@link #PERIOD_NANOS} at the registered sleepers and futex-wakes the word of any that is interrupted
 * (or, for an {@code AUTO} sleeper, whose object gained a process that cannot futex-wake: that sleeper must
 * move to a doorbell). While no thread sleeps on a futex the watcher is parked and costs nothing.
 */
final class FutexWatch {
    /** How often the watcher looks: the interrupt latency of a futex sleep. */
    static final long PERIOD_NANOS = 10_000_000L;

    private static final Set<Sleeper> SLEEPERS = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    /** Whether the watcher is (about to be) parked with no deadline: only then does a new sleeper unpark it. */
    private static final AtomicBoolean IDLE = new AtomicBoolean();
    private static volatile Thread watcher;

    private FutexWatch() {
    }

    /** One thread's futex sleep on the int at {@code offset} of {@code memory}. */
    static final class Sleeper {
        final Thread thread = Thread.currentThread();
        final MappedMemory memory;
        final long offset;
        final boolean auto;

        Sleeper(MappedMemory memory, long offset, boolean auto) {
            this.memory = memory;
            this.offset = offset;
            this.auto = auto;
        }
    }

    /**
     * Registers the calling thread before it sleeps on a futex.
     *
     * @param auto whether it sleeps on a futex only because every attached process can wake one
     * @return the registration, for {@link #leave}
     */
    static Sleeper enter(MappedMemory memory, long offset, boolean auto) {
        Sleeper s = new Sleeper(memory, offset, auto);
        SLEEPERS.add(s);
        if (STARTED.compareAndSet(false, true)) {
            Thread t = new Thread(FutexWatch::run, "mmipc-futex-watch");
            t.setDaemon(true);
            watcher = t;
            t.start();
        } else if (IDLE.get() && IDLE.compareAndSet(true, false)) {
            // Only an idle watcher needs the (system-call) unpark; a looking one sees the new sleeper itself.
            LockSupport.unpark(watcher);
        }
        return s;
    }

    /** Withdraws a registration once the futex sleep is over. */
    static void leave(Sleeper s) {
        SLEEPERS.remove(s);
    }

    private static void run() {
        while (true) {
            if (SLEEPERS.isEmpty()) {
                IDLE.set(true);
                // Re-check after announcing: an enter() that missed IDLE added its sleeper before this read.
                if (SLEEPERS.isEmpty()) {
                    LockSupport.park(); // enter() unparks; a spurious return just loops
                }
                IDLE.set(false);
                continue;
            }
            LockSupport.parkNanos(PERIOD_NANOS);
            for (Sleeper s : SLEEPERS) {
                if (s.thread.isInterrupted() || (s.auto && !Registry.allFutexCapable(s.memory))) {
                    wake(s);
                }
            }
        }
    }

    private static void wake(Sleeper s) {
        try {
            // Wakes every sleeper on the word: the others re-check and sleep again.
            Futex.wake(s.memory, s.offset, Integer.MAX_VALUE);
        } catch (RuntimeException e) {
            // The sleeper left and its mapping is gone: nothing to wake.
            Log.WAIT.log(Level.DEBUG, "futex watch: the sleeper's mapping is gone", e);
        }
    }
}
