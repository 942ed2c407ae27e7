package io.mmipc.sync;

import io.mmipc.WaitMode;
import io.mmipc.internal.file.ObjectType;
import io.mmipc.internal.file.SharedFile;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.sync.BasicSpec;
import io.mmipc.internal.sync.Deadlines;
import io.mmipc.internal.sync.EventLayout;
import io.mmipc.internal.sync.ObjectOpener;
import io.mmipc.internal.wait.EventCount;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Python's {@code multiprocessing.Event} for Java: a flag shared by processes, initially false.
 * {@link #set()} sets it and wakes every waiter; {@link #clear()} resets it; {@link #await()} waits until
 * it is set (Python's {@code wait()}, renamed because {@code Object.wait()} is final). What a process wrote
 * before {@code set()} is visible to a process that saw the event set.
 *
 * <pre>{@code
 * // process A                                   // process B
 * SharedEvent ready = SharedEvent.create("ready"); SharedEvent ready = SharedEvent.open("ready");
 * loadModel();                                     if (!ready.await(Duration.ofSeconds(30))) { ... }
 * ready.set();                                     useModel();
 * }</pre>
 *
 * Layout: see {@code io.mmipc.internal.sync.EventLayout}.
 */
public final class SharedEvent implements AutoCloseable {
    private static final long CHECK_NANOS = 1_000_000_000L;

    private final SharedFile file;
    private final MappedMemory memory;
    private final EventCount changed;

    private SharedEvent(SharedFile file, WaitMode mode) {
        this.file = file;
        this.memory = file.memory();
        this.changed = new EventCount(memory, EventLayout.CHANGED_EVENT, mode);
    }

    /**
     * Starts building an event named {@code name}: then {@code create()}, {@code open()} or
     * {@code openOrCreate()}.
     *
     * @param name the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @return the builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Creates an event (clear) in the default folder.
     *
     * @param name the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @return a handle on the new event
     * @throws IOException if the file cannot be created or mapped ({@link java.nio.file.FileAlreadyExistsException} if
     *                     the name is taken)
     */
    public static SharedEvent create(String name) throws IOException {
        return builder(name).create();
    }

    /**
     * Opens an existing event in the default folder.
     *
     * @param name the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @return a handle on the event
     * @throws IOException if the file cannot be opened or mapped, or is not such an object ({@link
     *                     java.nio.file.NoSuchFileException} if there is none)
     */
    public static SharedEvent open(String name) throws IOException {
        return builder(name).open();
    }

    /**
     * Opens the event in the default folder, creating it (clear) if it does not exist.
     *
     * @param name the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @return a handle on the event
     * @throws IOException if the file cannot be opened, created or mapped, or is not such an object
     */
    public static SharedEvent openOrCreate(String name) throws IOException {
        return builder(name).openOrCreate();
    }

    /** {@return whether the flag is set (Python's {@code is_set()})} */
    public boolean isSet() {
        file.enter();
        try {
            // Volatile read: pairs with set()'s volatile store, so the setter's earlier writes are visible.
            return memory.getLongVolatile(EventLayout.FLAG) != 0;
        } finally {
            file.exit();
        }
    }

    /** Sets the flag and wakes every process and thread waiting for it. */
    public void set() {
        file.enter();
        try {
            // Volatile: publishes the setter's earlier writes, and orders the sleepers check after the store.
            memory.putLongVolatile(EventLayout.FLAG, 1);
            changed.signalAll();
        } finally {
            file.exit();
        }
    }

    /** Resets the flag; later {@link #await()} calls wait until the next {@link #set()}. */
    public void clear() {
        file.enter();
        try {
            memory.putLongVolatile(EventLayout.FLAG, 0);
        } finally {
            file.exit();
        }
    }

    /**
     * Waits until the flag is set (returns at once if it is).
     *
     * @return true
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean await() throws InterruptedException {
        return awaitUntil(Long.MAX_VALUE);
    }

    /**
     * Waits until the flag is set or the timeout passes: Python's {@code wait(timeout)}.
     *
     * @param timeout the longest wait; zero or negative does not wait
     * @return the flag: true if set, false if the timeout passed first
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean await(Duration timeout) throws InterruptedException {
        return awaitUntil(Deadlines.after(timeout));
    }

    private boolean awaitUntil(long deadline) throws InterruptedException {
        file.enter();
        try {
            // A close of this handle wakes the wait (see close()) and ends it with the closed error.
            return changed.await(() -> {
                if (file.isClosed()) {
                    throw file.closedError();
                }
                return memory.getLongVolatile(EventLayout.FLAG) != 0;
            }, deadline, CHECK_NANOS);
        } finally {
            file.exit();
        }
    }

    /** {@return the file the event lives in} */
    public Path path() {
        return file.path();
    }

    /** Closes this handle; this handle's waiting {@link #await()} calls end with the closed error. */
    @Override
    public void close() {
        file.close(changed::signalAll);
    }

    /**
     * Removes the event's name; processes that have it open keep using it.
     *
     * @throws IOException if the name cannot be removed
     */
    public void unlink() throws IOException {
        file.unlink();
    }

    @Override
    public String toString() {
        return file.label() + (file.isClosed() ? " [closed]" : isSet() ? " [set]" : " [clear]");
    }

    /** Builds a {@link SharedEvent}; it has no parameters beyond those of {@link SyncBuilder}. */
    public static final class Builder extends SyncBuilder<SharedEvent, Builder> {
        Builder(String name) {
            super(name, ObjectType.EVENT);
        }

        @Override
        ObjectOpener.Spec<SharedEvent> spec() {
            return new BasicSpec<>(ObjectType.EVENT, EventLayout.VERSION, EventLayout.FILE_SIZE) {
                @Override
                public SharedEvent make(SharedFile file, WaitMode mode) {
                    return new SharedEvent(file, mode);
                }
            };
        }
    }
}
