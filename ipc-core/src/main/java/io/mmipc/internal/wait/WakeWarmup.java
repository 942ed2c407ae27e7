package io.mmipc.internal.wait;

/**
 * When this process loads the machinery of its wake-ups. The first object a process opens starts a daemon
 * thread that loads the JDK's Unix-socket stack for the doorbells (~30 ms of class loading), so that no
 * first wake-up pays for it. A process whose start-up is itself on someone's critical path (a pool worker:
 * the parent waits for its first result, polling, so the worker need not ring yet) can defer that thread to
 * a moment it is idle or has answered once, and tell its parent when it is done.
 */
public final class WakeWarmup {
    private static volatile boolean deferred;

    private WakeWarmup() {
    }

    /** Keeps objects opened from now on from starting the warm-up; {@link #start} starts it. */
    public static void defer() {
        deferred = true;
    }

    /** @return whether the warm-up waits for {@link #start} */
    static boolean deferred() {
        return deferred;
    }

    /**
     * Starts the warm-up unless it was started before, and runs {@code then} once it has finished: on the
     * warm-up thread, or on this one if it had finished already. Whatever {@code then} throws is dropped.
     *
     * @param then what to do once the wake-up machinery is loaded (or failed to load)
     */
    public static void start(Runnable then) {
        Doorbells.prewarmNow().thenRun(then);
    }
}
