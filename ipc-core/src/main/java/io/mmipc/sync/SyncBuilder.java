package io.mmipc.sync;

import io.mmipc.ObjectFileException;
import io.mmipc.WaitMode;
import io.mmipc.internal.file.AwaitName;
import io.mmipc.internal.file.Directories;
import io.mmipc.internal.file.ObjectType;
import io.mmipc.internal.sync.ObjectOpener;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Creates or opens a synchronization object by name (in {@link io.mmipc.SharedObjects#defaultDirectory()}
 * unless told otherwise) or by path. Each type has its own builder ({@code SharedLock.builder(name)},
 * {@code SharedSemaphore.builder(name)}, ...) adding its parameters; they share these methods.
 *
 * @param <T> the object type built
 * @param <B> the concrete builder type, for chaining
 */
public abstract class SyncBuilder<T, B extends SyncBuilder<T, B>> {
    private final String name;
    private final ObjectType type;
    private Path directory;
    private Path path;
    private WaitMode waitMode;

    SyncBuilder(String name, ObjectType type) {
        this.name = Directories.checkName(name);
        this.type = type;
    }

    /**
     * Puts the object in this folder instead of the default one.
     *
     * @param dir the folder
     * @return this builder
     */
    public B directory(Path dir) {
        this.directory = Objects.requireNonNull(dir, "dir");
        return self();
    }

    /**
     * Uses exactly this file (the name then only labels messages).
     *
     * @param file the file
     * @return this builder
     */
    public B path(Path file) {
        this.path = Objects.requireNonNull(file, "file");
        return self();
    }

    /**
     * How this handle's blocking calls wait (default: the {@code mmipc.wait} property, else AUTO).
     *
     * @param mode how to wait
     * @return this builder
     */
    public B waitMode(WaitMode mode) {
        this.waitMode = Objects.requireNonNull(mode, "mode");
        return self();
    }

    /**
     * Creates the object.
     *
     * @return the open object
     * @throws FileAlreadyExistsException if an object of that name exists
     * @throws IOException                if the file cannot be created
     */
    public T create() throws IOException {
        return ObjectOpener.create(file(), label(), waitMode, spec());
    }

    /**
     * Opens an existing object, checking its file and any parameter set on this builder.
     *
     * @return the open object
     * @throws NoSuchFileException  if there is no such object
     * @throws ObjectFileException  if the file is not a valid object of this type, or a parameter differs
     * @throws IOException          if it cannot be read or mapped
     */
    public T open() throws IOException {
        return ObjectOpener.open(file(), label(), waitMode, spec());
    }

    /**
     * Opens an existing object, waiting up to {@code timeout} for it to be created (a consumer may start before
     * its producer). The wait is woken by the folder's change notification (inotify on Linux), not by polling.
     *
     * @param timeout how long to wait for the object to appear
     * @return the open object
     * @throws NoSuchFileException  if it did not appear in time
     * @throws ObjectFileException  if the file is not a valid object of this kind, or its parameters differ
     * @throws IOException          if it cannot be read or mapped
     * @throws InterruptedException if interrupted while waiting
     */
    public T open(Duration timeout) throws IOException, InterruptedException {
        return AwaitName.open(file(), label(), timeout, this::open);
    }

    /**
     * Opens the object if it exists, else creates it (racing creators agree on one file).
     *
     * @return a handle on the object
     * @throws IOException if the file cannot be opened, created or mapped, or is not such an object
     */
    public T openOrCreate() throws IOException {
        return ObjectOpener.openOrCreate(file(), label(), waitMode, spec());
    }

    /** @return what creating and opening this type involves */
    abstract ObjectOpener.Spec<T> spec();

    /** @return how messages name the object, e.g. {@code lock 'jobs'} */
    final String label() {
        return type.label() + " '" + name + "'";
    }

    @SuppressWarnings("unchecked")
    final B self() {
        return (B) this;
    }

    private Path file() {
        if (path != null) {
            return path.toAbsolutePath();
        }
        Path dir = directory != null ? directory : Directories.defaultDirectory();
        return Directories.objectPath(dir, name);
    }
}
