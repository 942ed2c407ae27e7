package io.mmipc.sync;

/**
 * What an mmipc-specific acquire of a {@link SharedLock} or {@link SharedRLock} ended with. Java's
 * {@link java.util.concurrent.locks.Lock} methods cannot say that the previous owner died; these can.
 */
public enum LockOutcome {
    /** The lock is now held by the calling thread. */
    ACQUIRED,
    /**
     * The lock is now held by the calling thread, taken over from a process that died while holding it, like
     * a POSIX robust mutex's {@code EOWNERDEAD}: whatever the lock protects may be half-updated; repair it
     * before releasing.
     */
    ACQUIRED_OWNER_DIED,
    /** The timeout passed (or, for a non-blocking attempt, the lock was busy); the lock is not held. */
    TIMED_OUT;

    /** {@return whether the lock is now held ({@link #ACQUIRED} or {@link #ACQUIRED_OWNER_DIED})} */
    public boolean acquired() {
        return this != TIMED_OUT;
    }

    /** {@return whether the lock was taken over from an owner that died holding it} */
    public boolean ownerDied() {
        return this == ACQUIRED_OWNER_DIED;
    }
}
