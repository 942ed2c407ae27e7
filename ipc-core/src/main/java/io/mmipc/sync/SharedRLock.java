package io.mmipc.sync;

import io.mmipc.WaitMode;
import io.mmipc.internal.file.ObjectType;
import io.mmipc.internal.file.SharedFile;
import io.mmipc.internal.sync.BasicSpec;
import io.mmipc.internal.sync.EmbeddedLocks;
import io.mmipc.internal.sync.LockCore;
import io.mmipc.internal.sync.LockLayout;
import io.mmipc.internal.sync.ObjectOpener;

import java.io.IOException;

/**
 * Python's {@code multiprocessing.RLock} for Java: a reentrant lock shared by processes, like
 * {@link java.util.concurrent.locks.ReentrantLock} across JVMs. The owning thread may acquire it again; it
 * is free once released as many times as acquired. The hold count lives in shared memory, so every handle
 * of the lock in one process agrees on it.
 *
 * <p>Robust like {@link SharedLock}: if the owning process dies, the next acquirer takes the lock over with
 * a hold count of one and is told ({@link LockOutcome#ACQUIRED_OWNER_DIED},
 * {@link #acquiredFromDeadOwner()}). Only the owning thread may release it
 * ({@link IllegalMonitorStateException} otherwise); a thread of the owning process that ends without
 * releasing leaves it held until that process exits. This is also the lock of a {@link SharedCondition}
 * and of a shared value or array ({@code getLock()}), as in Python.
 *
 * Layout: see {@code io.mmipc.internal.sync.LockLayout}.
 */
public final class SharedRLock extends LockHandle {
    SharedRLock(SharedFile file, LockCore core, boolean embedded) {
        super(file, core, embedded);
    }

    static {
        EmbeddedLocks.register((file, core) -> new SharedRLock(file, core, true));
    }

    /**
     * Starts building an rlock named {@code name}: then {@code create()}, {@code open()} or
     * {@code openOrCreate()}.
     *
     * @param name the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @return the builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Creates an rlock in the default folder.
     *
     * @param name the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @return a handle on the new rlock
     * @throws IOException if the file cannot be created or mapped ({@link java.nio.file.FileAlreadyExistsException} if
     *                     the name is taken)
     */
    public static SharedRLock create(String name) throws IOException {
        return builder(name).create();
    }

    /**
     * Opens an existing rlock in the default folder.
     *
     * @param name the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @return a handle on the rlock
     * @throws IOException if the file cannot be opened or mapped, or is not such an object ({@link
     *                     java.nio.file.NoSuchFileException} if there is none)
     */
    public static SharedRLock open(String name) throws IOException {
        return builder(name).open();
    }

    /**
     * Opens the rlock in the default folder, creating it if it does not exist.
     *
     * @param name the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @return a handle on the rlock
     * @throws IOException if the file cannot be opened, created or mapped, or is not such an object
     */
    public static SharedRLock openOrCreate(String name) throws IOException {
        return builder(name).openOrCreate();
    }

    /** {@return how many times the current thread holds the lock (0 if it does not)} */
    public int getHoldCount() {
        file().ensureOpen();
        return core().holdCount();
    }

    /** Builds a {@link SharedRLock}; it has no parameters beyond those of {@link SyncBuilder}. */
    public static final class Builder extends SyncBuilder<SharedRLock, Builder> {
        Builder(String name) {
            super(name, ObjectType.RLOCK);
        }

        @Override
        ObjectOpener.Spec<SharedRLock> spec() {
            String label = label();
            return new BasicSpec<>(ObjectType.RLOCK, LockLayout.VERSION, LockLayout.FILE_SIZE) {
                @Override
                public SharedRLock make(SharedFile file, WaitMode mode) {
                    return new SharedRLock(file, new LockCore(file.memory(), LockLayout.BLOCK, mode, true, label),
                            false);
                }
            };
        }
    }
}
