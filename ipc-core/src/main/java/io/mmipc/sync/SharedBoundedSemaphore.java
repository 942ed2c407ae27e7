package io.mmipc.sync;

import io.mmipc.WaitMode;
import io.mmipc.internal.file.ObjectType;
import io.mmipc.internal.file.SharedFile;
import io.mmipc.internal.sync.ObjectOpener;

import java.io.IOException;

/**
 * Python's {@code multiprocessing.BoundedSemaphore}: a semaphore like {@link SharedSemaphore} whose value may never exceed
 * its initial value. A release that would go above it throws {@link IllegalStateException} (Python raises
 * {@code ValueError}) and releases nothing. The bound is recorded in the file, so every handle enforces it,
 * even one opened as a plain {@link SharedSemaphore}; permits given back for dead holders are capped at it.
 */
public final class SharedBoundedSemaphore extends SemaphoreHandle {
    SharedBoundedSemaphore(SharedFile file, WaitMode mode) {
        super(file, mode);
    }

    /**
     * Starts building a bounded semaphore named {@code name}: then {@code value(n)} and {@code create()},
     * {@code open()} or {@code openOrCreate()}.
     *
     * @param name the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @return the builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Creates a bounded semaphore with {@code permits} permits (and that bound) in the default folder.
     *
     * @param name the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @param permits the permits at creation and the bound, 0 or more
     * @return a handle on the new bounded semaphore
     * @throws IOException if the file cannot be created or mapped ({@link java.nio.file.FileAlreadyExistsException} if
     *                     the name is taken)
     */
    public static SharedBoundedSemaphore create(String name, int permits) throws IOException {
        return builder(name).value(permits).create();
    }

    /**
     * Opens an existing bounded semaphore in the default folder.
     *
     * @param name the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @return a handle on the bounded semaphore
     * @throws IOException if the file cannot be opened or mapped, or is not such an object ({@link
     *                     java.nio.file.NoSuchFileException} if there is none)
     */
    public static SharedBoundedSemaphore open(String name) throws IOException {
        return builder(name).open();
    }

    /** {@return the bound: the initial value, which the value may never exceed} */
    public int bound() {
        return (int) file().param(io.mmipc.internal.sync.SemaphoreLayout.P_BOUND);
    }

    /** Builds a {@link SharedBoundedSemaphore}: its initial value (also its bound), and dead-holder return. */
    public static final class Builder extends SyncBuilder<SharedBoundedSemaphore, Builder> {
        private int value = 1;
        private boolean valueSet;
        private Boolean reclaim;

        Builder(String name) {
            super(name, ObjectType.SEMAPHORE);
        }

        /**
         * The number of permits at creation, and the bound (default 1). On open, if set, it must match.
         *
         * @param permits the permits at creation and the bound, 0 or more
         * @return this builder
         */
        public Builder value(int permits) {
            this.value = checkValue(permits);
            this.valueSet = true;
            return this;
        }

        /**
         * Whether permits of dead holders are given back (default true); see {@link SharedSemaphore}.
         *
         * @param enabled true to give back what dead holders took, false to keep it taken
         * @return this builder
         */
        public Builder reclaimDeadHolders(boolean enabled) {
            this.reclaim = enabled;
            return this;
        }

        @Override
        ObjectOpener.Spec<SharedBoundedSemaphore> spec() {
            return SemaphoreHandle.spec(label(), value, valueSet, true, reclaim, SharedBoundedSemaphore::new);
        }
    }
}
