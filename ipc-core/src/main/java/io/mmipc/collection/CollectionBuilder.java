package io.mmipc.collection;

import io.mmipc.ObjectFileException;
import io.mmipc.WaitMode;
import io.mmipc.internal.collection.CollectionLayout;
import io.mmipc.internal.collection.CollectionSpec;
import io.mmipc.internal.file.Directories;
import io.mmipc.internal.file.ObjectType;
import io.mmipc.internal.file.SharedFile;
import io.mmipc.internal.sync.ObjectOpener;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * Creates or opens a shared map or list by name (in {@link io.mmipc.SharedObjects#defaultDirectory()} unless
 * told otherwise) or by path. {@code SharedMap.builder(...)} and {@code SharedList.builder(...)} return one.
 *
 * @param <T> the object type built
 * @param <B> the concrete builder type, for chaining
 */
public abstract class CollectionBuilder<T, B extends CollectionBuilder<T, B>> {
    private final String name;
    private final ObjectType type;
    private Path directory;
    private Path path;
    private WaitMode waitMode;
    private long initialBytes = CollectionLayout.DEFAULT_SEGMENT0;
    private int stripes;

    CollectionBuilder(String name, ObjectType type) {
        this.name = Directories.checkName(name);
        this.type = type;
        this.stripes = type == ObjectType.MAP ? CollectionLayout.DEFAULT_MAP_STRIPES : 1;
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
     * How writers wait for each other (default: the {@code mmipc.wait} property, else AUTO).
     *
     * @param mode the wait mode
     * @return this builder
     */
    public B waitMode(WaitMode mode) {
        this.waitMode = Objects.requireNonNull(mode, "mode");
        return self();
    }

    /**
     * The size of the first heap segment, in the main file (default 1 MiB). A map shares it among its stripes,
     * each stripe's part rounded up to a power of two of at least 64 KiB. The container grows past it by
     * adding segment files, each twice the size of the one before (up to 1 GiB each); ignored on open.
     *
     * @param bytes the initial heap size
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes} is negative or above 1 GiB
     */
    public B initialBytes(long bytes) {
        CollectionSpec.checkSegment0(bytes);
        this.initialBytes = bytes;
        return self();
    }

    /** Sets the stripes of a new object (a map's builder offers it). */
    final void setStripes(int n) {
        this.stripes = CollectionSpec.checkStripes(n);
    }

    /**
     * Creates the object, empty.
     *
     * @return the open object
     * @throws FileAlreadyExistsException if an object of that name exists
     * @throws IOException                if the file cannot be created
     */
    public T create() throws IOException {
        return ObjectOpener.create(file(), label(), waitMode, spec());
    }

    /**
     * Opens an existing object.
     *
     * @return the open object
     * @throws NoSuchFileException  if there is no such object
     * @throws ObjectFileException  if the file is not a valid object of this type
     * @throws IOException          if it cannot be read or mapped
     */
    public T open() throws IOException {
        return ObjectOpener.open(file(), label(), waitMode, spec());
    }

    /**
     * Opens the object if it exists, else creates it (racing creators agree on one file).
     *
     * @return the open object
     * @throws IOException if it can be neither opened nor created
     */
    public T openOrCreate() throws IOException {
        return ObjectOpener.openOrCreate(file(), label(), waitMode, spec());
    }

    /** Makes the handle over an open, validated file. */
    abstract T make(SharedFile file, WaitMode mode);

    private String label() {
        return type.label() + " '" + name + "'";
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    private Path file() {
        if (path != null) {
            return path.toAbsolutePath();
        }
        Path dir = directory != null ? directory : Directories.defaultDirectory();
        return Directories.objectPath(dir, name);
    }

    private ObjectOpener.Spec<T> spec() {
        BiFunction<SharedFile, WaitMode, T> factory = this::make;
        long segment0 = CollectionSpec.checkSegment0((initialBytes + stripes - 1) / stripes);
        return new CollectionSpec<>(type, stripes, segment0, factory);
    }
}
