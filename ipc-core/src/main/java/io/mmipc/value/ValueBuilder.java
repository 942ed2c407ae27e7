package io.mmipc.value;

import io.mmipc.ObjectFileException;
import io.mmipc.WaitMode;
import io.mmipc.internal.file.AwaitName;
import io.mmipc.internal.file.Directories;
import io.mmipc.internal.file.ObjectType;
import io.mmipc.internal.file.SharedFile;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.sync.BasicSpec;
import io.mmipc.internal.sync.ObjectOpener;
import io.mmipc.internal.sync.ValueLayout;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * Creates or opens a shared value or array by name (in {@link io.mmipc.SharedObjects#defaultDirectory()}
 * unless told otherwise) or by path. Each type has its own builder ({@code SharedLong.builder(name)},
 * {@code SharedIntArray.builder(name)}, ...) adding its initial value or contents; they share these methods.
 *
 * @param <V> the object type built
 * @param <B> the concrete builder type, for chaining
 */
public abstract class ValueBuilder<V, B extends ValueBuilder<V, B>> {
    private final String name;
    private final int kind;
    private final boolean array;
    private final BiFunction<SharedFile, WaitMode, V> factory;
    private Path directory;
    private Path path;
    private WaitMode waitMode;
    private Boolean lock;

    ValueBuilder(String name, int kind, boolean array, BiFunction<SharedFile, WaitMode, V> factory) {
        this.name = Directories.checkName(name);
        this.kind = kind;
        this.array = array;
        this.factory = factory;
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
     * How the lock's blocking calls wait (default: the {@code mmipc.wait} property, else AUTO).
     *
     * @param mode how to wait
     * @return this builder
     */
    public B waitMode(WaitMode mode) {
        this.waitMode = Objects.requireNonNull(mode, "mode");
        return self();
    }

    /**
     * Python's {@code lock=}: whether the object has its own reentrant lock ({@code getLock()}); default
     * true. On open, if set, it must match the file.
     *
     * @param enabled true for a lock of its own, false for none
     * @return this builder
     */
    public B lock(boolean enabled) {
        this.lock = enabled;
        return self();
    }

    /**
     * Creates the object with its initial value or contents.
     *
     * @return the open object
     * @throws FileAlreadyExistsException if an object of that name exists
     * @throws IOException                if the file cannot be created
     */
    public V create() throws IOException {
        return ObjectOpener.create(file(), label(), waitMode, spec());
    }

    /**
     * Opens an existing object, checking its element type and any length or lock setting made here. The
     * initial value or contents, if given, are ignored.
     *
     * @return the open object
     * @throws NoSuchFileException  if there is no such object
     * @throws ObjectFileException  if the file is not a value (or array) of this element type, or differs
     * @throws IOException          if it cannot be read or mapped
     */
    public V open() throws IOException {
        return ObjectOpener.open(file(), label(), waitMode, spec());
    }

    /**
     * Opens an existing object, waiting up to {@code timeout} for it to be created (a reader may start before
     * its writer). The wait is woken by the folder's change notification (inotify on Linux), not by polling.
     *
     * @param timeout how long to wait for the object to appear
     * @return the open object
     * @throws java.nio.file.NoSuchFileException if it did not appear in time
     * @throws io.mmipc.ObjectFileException      if the file is not a valid object of this type
     * @throws IOException                       if it cannot be read or mapped
     * @throws InterruptedException              if interrupted while waiting
     */
    public V open(Duration timeout) throws IOException, InterruptedException {
        return AwaitName.open(file(), label(), timeout, this::open);
    }

    /**
     * Opens the object if it exists, else creates it (racing creators agree on one file).
     *
     * @return a handle on the object
     * @throws IOException if the file cannot be opened, created or mapped, or is not such an object
     */
    public V openOrCreate() throws IOException {
        return ObjectOpener.openOrCreate(file(), label(), waitMode, spec());
    }

    /** @return the number of elements to create; for arrays, fails if neither length nor contents was given */
    abstract int createLength();

    /** @return the length requested for an open (checked against the file), or -1 if none */
    abstract int requestedLength();

    /** Writes the initial elements, from {@link ValueLayout#DATA} (the body is zero before). */
    abstract void init(MappedMemory memory);

    final String label() {
        return (array ? ObjectType.ARRAY : ObjectType.VALUE).label() + " '" + name + "'";
    }

    final IllegalStateException lengthRequired() {
        return new IllegalStateException(label() + ": length(n) or contents(...) is required to create it");
    }

    static int checkLength(int kind, int n) {
        if (n < 0 || n > ValueLayout.maxLength(kind)) {
            throw new IllegalArgumentException("array length out of range [0, " + ValueLayout.maxLength(kind) + "]: "
                    + "length=" + n);
        }
        return n;
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

    private ObjectOpener.Spec<V> spec() {
        ObjectType type = array ? ObjectType.ARRAY : ObjectType.VALUE;
        Boolean wantLock = lock;
        return new BasicSpec<>(type, ValueLayout.VERSION, 0) {
            private int length = -1;

            private int length() {
                if (length < 0) {
                    length = createLength();
                }
                return length;
            }

            @Override
            public long size() {
                return ValueLayout.fileSize(kind, length());
            }

            @Override
            public long[] params() {
                long[] p = new long[3];
                p[ValueLayout.P_KIND] = kind;
                p[ValueLayout.P_LENGTH] = length();
                p[ValueLayout.P_FLAGS] = wantLock == null || wantLock ? ValueLayout.FLAG_LOCK : 0;
                return p;
            }

            @Override
            public void init(MappedMemory memory) {
                ValueBuilder.this.init(memory);
            }

            @Override
            public void validate(SharedFile file) throws ObjectFileException {
                Path p = file.path();
                long foundKind = file.param(ValueLayout.P_KIND);
                long foundLength = file.param(ValueLayout.P_LENGTH);
                long flags = file.param(ValueLayout.P_FLAGS);
                SharedFile.check(foundKind == kind, p, "element type mismatch: expected=" + ValueLayout.kindName(kind)
                        + ", found=" + ValueLayout.kindName(foundKind));
                SharedFile.check(foundLength >= 0 && foundLength <= ValueLayout.maxLength(kind)
                        && (array || foundLength == 1), p, "corrupt " + type.label() + " header: length=" + foundLength);
                SharedFile.check((flags & ~ValueLayout.FLAG_LOCK) == 0, p, "corrupt " + type.label()
                        + " header: flags=" + flags);
                SharedFile.check(file.memory().size() == ValueLayout.fileSize(kind, foundLength), p,
                        "corrupt " + type.label() + " header: size does not match length=" + foundLength);
                int requested = requestedLength();
                if (requested >= 0) {
                    SharedFile.check(requested == foundLength, p, "length mismatch: requested=" + requested
                            + ", file=" + foundLength);
                }
                if (wantLock != null) {
                    boolean fileHasLock = (flags & ValueLayout.FLAG_LOCK) != 0;
                    SharedFile.check(fileHasLock == wantLock, p, "lock mismatch: requested=" + wantLock + ", file="
                            + fileHasLock);
                }
            }

            @Override
            public V make(SharedFile file, WaitMode mode) {
                return factory.apply(file, mode);
            }
        };
    }
}
