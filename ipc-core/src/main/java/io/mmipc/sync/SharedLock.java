package io.mmipc.sync;

import io.mmipc.WaitMode;
import io.mmipc.internal.file.ObjectType;
import io.mmipc.internal.file.SharedFile;
import io.mmipc.internal.sync.BasicSpec;
import io.mmipc.internal.sync.LockCore;
import io.mmipc.internal.sync.LockLayout;
import io.mmipc.internal.sync.ObjectOpener;

import java.io.IOException;

/**
 * Python's {@code multiprocessing.Lock} for Java: a non-reentrant lock shared by processes, opened by name,
 * and a {@link java.util.concurrent.locks.Lock}.
 *
 * <p><b>Robust.</b> The lock word holds the owning process's token (and the lock block the
 * owning thread). If that process dies holding the lock, the next acquirer takes it over instead of waiting
 * forever, and is told: {@link #acquire()} returns {@link LockOutcome#ACQUIRED_OWNER_DIED},
 * {@link #hold()} gives a {@link LockHold#ownerDied()} of true, and after {@link #lock()} or
 * {@link #tryLock()}, {@link #acquiredFromDeadOwner()} is true. Repair what the lock protects before
 * releasing. Python's lock stays held forever in that case.
 *
 * <p><b>Ownership.</b> Unlike Python's {@code Lock}, which any process or thread may release, only the
 * owning thread may release this one: {@link #unlock()} (and {@link #release()}) by another thread throws
 * {@link IllegalMonitorStateException}, as the {@code Lock} interface expects. Acquiring again from the
 * owning thread is a sure deadlock: the untimed acquires throw {@link IllegalStateException}, the timed ones
 * wait out their timeout and fail, {@link #tryLock()} returns false. Use {@link SharedRLock} for
 * reentrancy.
 *
 * <p><b>Waiting</b> spins briefly, then sleeps in the kernel ({@link WaitMode}); a dead owner is noticed
 * within about 10 ms. The lock is not fair: a releasing thread may take it again before a sleeper wakes.
 * {@link #newCondition()} is not supported: use {@link SharedCondition}.
 *
 * <pre>{@code
 * try (SharedLock lock = SharedLock.openOrCreate("accounts");
 *      LockHold held = lock.hold()) {
 *     if (held.ownerDied()) {
 *         repairAccounts();
 *     }
 *     transfer();
 * }
 * }</pre>
 *
 * Layout: see {@code io.mmipc.internal.sync.LockLayout}.
 */
public final class SharedLock extends LockHandle {
    SharedLock(SharedFile file, LockCore core, boolean embedded) {
        super(file, core, embedded);
    }

    /**
     * Starts building a lock named {@code name}: then {@code create()}, {@code open()} or
     * {@code openOrCreate()}.
     *
     * @param name the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @return the builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Creates a lock in the default folder.
     *
     * @param name the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @return a handle on the new lock
     * @throws IOException if the file cannot be created or mapped ({@link java.nio.file.FileAlreadyExistsException} if
     *                     the name is taken)
     */
    public static SharedLock create(String name) throws IOException {
        return builder(name).create();
    }

    /**
     * Opens an existing lock in the default folder.
     *
     * @param name the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @return a handle on the lock
     * @throws IOException if the file cannot be opened or mapped, or is not such an object ({@link
     *                     java.nio.file.NoSuchFileException} if there is none)
     */
    public static SharedLock open(String name) throws IOException {
        return builder(name).open();
    }

    /**
     * Opens the lock in the default folder, creating it if it does not exist.
     *
     * @param name the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @return a handle on the lock
     * @throws IOException if the file cannot be opened, created or mapped, or is not such an object
     */
    public static SharedLock openOrCreate(String name) throws IOException {
        return builder(name).openOrCreate();
    }

    /** Builds a {@link SharedLock}; it has no parameters beyond those of {@link SyncBuilder}. */
    public static final class Builder extends SyncBuilder<SharedLock, Builder> {
        Builder(String name) {
            super(name, ObjectType.LOCK);
        }

        @Override
        ObjectOpener.Spec<SharedLock> spec() {
            String label = label();
            return new BasicSpec<>(ObjectType.LOCK, LockLayout.VERSION, LockLayout.FILE_SIZE) {
                @Override
                public SharedLock make(SharedFile file, WaitMode mode) {
                    return new SharedLock(file, new LockCore(file.memory(), LockLayout.BLOCK, mode, false, label),
                            false);
                }
            };
        }
    }
}
