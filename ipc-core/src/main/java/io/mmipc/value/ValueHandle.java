package io.mmipc.value;

import io.mmipc.WaitMode;
import io.mmipc.internal.file.SharedFile;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.sync.EmbeddedLocks;
import io.mmipc.internal.sync.LockCore;
import io.mmipc.internal.sync.ValueLayout;
import io.mmipc.sync.SharedRLock;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/** What every shared value and array has: its file, its optional lock, and bounds checks. */
abstract class ValueHandle implements AutoCloseable {
    final SharedFile file;
    final MappedMemory memory;
    final int length;
    private final SharedRLock lock;
    private final LockCore lockCore;

    ValueHandle(SharedFile file, WaitMode mode) {
        this.file = file;
        this.memory = file.memory();
        this.length = (int) file.param(ValueLayout.P_LENGTH);
        boolean hasLock = (file.param(ValueLayout.P_FLAGS) & ValueLayout.FLAG_LOCK) != 0;
        this.lockCore = hasLock ? new LockCore(memory, ValueLayout.LOCK, mode, true, file.label() + " lock") : null;
        this.lock = hasLock ? EmbeddedLocks.rlock(file, lockCore) : null;
    }

    /**
     * Python's {@code get_lock()}: the reentrant lock that lives in the same file, for compound updates
     * such as {@code set(get() - 1)} from several processes:
     * <pre>{@code
     * try (LockHold h = counter.getLock().hold()) {
     *     counter.set(counter.get() - 1);
     * }
     * }</pre>
     * The single-element atomic methods ({@code incrementAndGet}, {@code compareAndSet}, ...) do not need it.
     *
     * @return the lock, closed with this object
     * @throws UnsupportedOperationException if the object was created with {@code lock(false)}
     */
    public SharedRLock getLock() {
        if (lock == null) {
            throw new UnsupportedOperationException(file.label() + " was created without a lock (lock(false)): "
                    + "use its atomic methods, or create it with a lock");
        }
        return lock;
    }

    /** {@return whether the object has a lock ({@link #getLock()} works)} */
    public boolean hasLock() {
        return lock != null;
    }

    /** {@return the file the object lives in} */
    public Path path() {
        return file.path();
    }

    /** Closes this handle (and its lock's handle). */
    @Override
    public void close() {
        // This process's threads waiting for the object's lock end with the closed error.
        file.close(lockCore == null ? null : lockCore::wakeWaiters);
    }

    /**
     * Removes the object's name; processes that have it open keep using it.
     *
     * @throws IOException if the name cannot be removed
     */
    public void unlink() throws IOException {
        file.unlink();
    }

    /** @return the offset of element {@code index}, after checking the handle is open and the index in range */
    final long at(int kind, int index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException(file.label() + ": index out of bounds: index=" + index + ", length="
                    + length);
        }
        return ValueLayout.offset(kind, index);
    }

    /** Checks a bulk copy of {@code count} elements at {@code index}, to or from {@code arrayOffset} of a Java array. */
    final void checkRange(int index, int count, int arrayOffset, int arrayLength) {
        if (index < 0 || count < 0 || index > length - count) {
            throw new IndexOutOfBoundsException(file.label() + ": range out of bounds: index=" + index + ", count="
                    + count + ", length=" + length);
        }
        Objects.checkFromIndexSize(arrayOffset, count, arrayLength);
    }

    /** Describes the object for toString. */
    final String describe(String contents) {
        return file.label() + (file.isClosed() ? " [closed]" : " " + contents);
    }
}
