package io.mmipc.sync;

/**
 * A held lock (or semaphore permit) as a resource for try-with-resources, Python's {@code with lock:}.
 * Closing it releases what was acquired; closing it again does nothing. Close it in the thread that
 * acquired it: locks check that the releasing thread is the owner.
 *
 * <pre>{@code
 * try (LockHold held = lock.hold()) {
 *     if (held.ownerDied()) {
 *         repair();
 *     }
 *     update();
 * }
 * }</pre>
 */
public final class LockHold implements AutoCloseable {
    private final Runnable release;
    private final boolean ownerDied;
    private boolean closed;

    LockHold(Runnable release, boolean ownerDied) {
        this.release = release;
        this.ownerDied = ownerDied;
    }

    /**
     * {@return whether the lock was taken over from a process that died holding it (always false for a semaphore
     * permit)}
     */
    public boolean ownerDied() {
        return ownerDied;
    }

    /** Releases what was acquired, once. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            release.run();
        }
    }
}
