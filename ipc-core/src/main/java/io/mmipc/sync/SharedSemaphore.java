package io.mmipc.sync;

import io.mmipc.WaitMode;
import io.mmipc.internal.file.ObjectType;
import io.mmipc.internal.file.SharedFile;
import io.mmipc.internal.sync.ObjectOpener;

import java.io.IOException;
import java.time.Duration;

/**
 * Python's {@code multiprocessing.Semaphore} for Java: a counting semaphore shared by processes, with
 * {@link java.util.concurrent.Semaphore}'s method names. {@link #acquire()} takes a permit, waiting while
 * there is none; {@link #release()} gives one back and wakes waiters. Not fair.
 *
 * <p><b>Dead holders.</b> Each process's acquired-minus-released count is kept in its registry entry.
 * When a process dies holding permits (or closes its last handle on the semaphore while holding them),
 * they are given back: waiters notice a dead holder within about 50 ms. That suits the common use, a
 * limit on concurrent work ({@code with sem:}). For signalling, where one process releases what another
 * acquires, turn it off with {@link Builder#reclaimDeadHolders(boolean) reclaimDeadHolders(false)}:
 * otherwise a consumer's consumed signals would come back when it exits.
 *
 * <table>
 *   <caption>Python to Java</caption>
 *   <tr><th>Python</th><th>here</th></tr>
 *   <tr><td>{@code acquire()}</td><td>{@link #acquire()}</td></tr>
 *   <tr><td>{@code acquire(timeout=t)}</td><td>{@link #tryAcquire(Duration)}</td></tr>
 *   <tr><td>{@code acquire(False)}</td><td>{@link #tryAcquire()}</td></tr>
 *   <tr><td>{@code release(n)}</td><td>{@link #release(int)}</td></tr>
 *   <tr><td>{@code get_value()}</td><td>{@link #availablePermits()}</td></tr>
 *   <tr><td>{@code with sem:}</td><td>{@code try (LockHold h = sem.hold()) { ... }}</td></tr>
 * </table>
 *
 * Layout: see {@code io.mmipc.internal.sync.SemaphoreLayout}.
 */
public final class SharedSemaphore extends SemaphoreHandle {
    SharedSemaphore(SharedFile file, WaitMode mode) {
        super(file, mode);
    }

    /**
     * Starts building a semaphore named {@code name}: then {@code value(n)} and {@code create()},
     * {@code open()} or {@code openOrCreate()}.
     *
     * @param name the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @return the builder
     */
    public static Builder builder(String name) {
        return new Builder(name, ObjectType.SEMAPHORE);
    }

    /**
     * Creates a semaphore with {@code permits} permits in the default folder.
     *
     * @param name the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @param permits the permits at creation, 0 or more
     * @return a handle on the new semaphore
     * @throws IOException if the file cannot be created or mapped ({@link java.nio.file.FileAlreadyExistsException} if
     *                     the name is taken)
     */
    public static SharedSemaphore create(String name, int permits) throws IOException {
        return builder(name).value(permits).create();
    }

    /**
     * Opens an existing semaphore (plain or bounded) in the default folder.
     *
     * @param name the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @return a handle on the semaphore
     * @throws IOException if the file cannot be opened or mapped, or is not such an object ({@link
     *                     java.nio.file.NoSuchFileException} if there is none)
     */
    public static SharedSemaphore open(String name) throws IOException {
        return builder(name).open();
    }

    /** Builds a {@link SharedSemaphore}: its initial value, and whether dead holders' permits come back. */
    public static final class Builder extends SyncBuilder<SharedSemaphore, Builder> {
        private int value = 1;
        private boolean valueSet;
        private Boolean reclaim;

        Builder(String name, ObjectType type) {
            super(name, type);
        }

        /**
         * The number of permits at creation (default 1, as in Python). On open, if set, it must match the
         * value the semaphore was created with.
         *
         * @param permits the permits at creation, 0 or more
         * @return this builder
         */
        public Builder value(int permits) {
            this.value = checkValue(permits);
            this.valueSet = true;
            return this;
        }

        /**
         * Whether permits held by a process that dies (or closes its last handle) are given back (default
         * true). Turn off for signalling, where permits are released by other processes than their
         * acquirers. On open, if set, it must match the file.
         *
         * @param enabled true to give back what dead holders took, false to keep it taken
         * @return this builder
         */
        public Builder reclaimDeadHolders(boolean enabled) {
            this.reclaim = enabled;
            return this;
        }

        @Override
        ObjectOpener.Spec<SharedSemaphore> spec() {
            return SemaphoreHandle.spec(label(), value, valueSet, false, reclaim, SharedSemaphore::new);
        }
    }
}
