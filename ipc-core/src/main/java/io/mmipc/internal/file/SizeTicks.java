package io.mmipc.internal.file;

/**
 * A process-wide tick, every {@value #TICK_MILLIS} ms while handles are in use, that tells each
 * {@link SizeGuard} when its file's size is due a look: a call reads one shared word instead of the clock
 * (a clock read costs more than the rest of a small call's bookkeeping).
 *
 * <p>The tick stops after {@value #IDLE_TICKS} ticks in which no handle looked at it, so an idle process
 * wakes for nothing; its word then reads {@link #IDLE}, and the next call checks at once and restarts it.
 * A call that sees a new tick value checks; a tick thread starved by a busy machine only delays checks
 * (the window documented in docs/identity.md), never skips the check after an idle period.
 */
final class SizeTicks {
    /** The tick word's value while the tick is stopped: the next call checks at once. */
    static final int IDLE = -1;
    private static final long TICK_MILLIS = 10;
    private static final int IDLE_TICKS = 10;
    private static final Object LOCK = new Object();

    /** The current tick, or {@link #IDLE}. Written by the tick thread, and by {@link #used} only while IDLE. */
    private static volatile int tick = IDLE;
    /** Set by calls that saw a new tick, cleared by the tick thread: whether anyone is still looking. */
    private static volatile boolean looked;
    /** The tick a restart resumes from: never a value a guard may still hold from before the stop. */
    private static int resumeAt;
    private static Thread thread;

    private SizeTicks() {
    }

    /** @return the current tick, or {@link #IDLE} */
    static int current() {
        return tick;
    }

    /** Tells the tick that a handle looked at it (and restarts it if it was stopped). */
    static void used() {
        looked = true;
        if (tick == IDLE) {
            start();
        }
    }

    private static void start() {
        synchronized (LOCK) {
            if (tick != IDLE) {
                return;
            }
            tick = resumeAt;
            if (thread == null) {
                thread = new Thread(SizeTicks::run, "mmipc-size-ticks");
                thread.setDaemon(true);
                thread.setContextClassLoader(null); // started from a caller's thread: pin none of its class loaders
                thread.start();
            } else {
                LOCK.notifyAll();
            }
        }
    }

    private static void run() {
        int quiet = 0;
        while (true) {
            try {
                Thread.sleep(TICK_MILLIS);
                if (looked) {
                    looked = false;
                    quiet = 0;
                } else if (++quiet >= IDLE_TICKS) {
                    quiet = 0;
                    synchronized (LOCK) {
                        resumeAt = (tick + 1) & Integer.MAX_VALUE;
                        tick = IDLE;
                        while (tick == IDLE) {
                            LOCK.wait();
                        }
                    }
                    continue;
                }
                tick = (tick + 1) & Integer.MAX_VALUE; // never IDLE: only this thread writes a running tick
            } catch (InterruptedException e) {
                // a daemon nobody should interrupt: keep ticking
            }
        }
    }
}
