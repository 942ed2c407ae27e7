package io.mmipc.internal.file;

import io.mmipc.ObjectFileException;
import io.mmipc.internal.log.Log;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.proc.ProcessIdentity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One shared object's file: created complete or not at all, validated on open, mapped, and registered in
 * the file's process registry while this handle is open.
 *
 * <p>Creation writes a temporary file (owner-only, fully allocated so that a full {@code /dev/shm} fails
 * here rather than with SIGBUS later), initialises it, release-stores the magic, then links it under its
 * name, which fails if the name exists. A file seen under its name is therefore always complete.
 */
public final class SharedFile implements AutoCloseable {
    private static final Object ATTACH_LOCK = new Object();
    private static final int ZERO_CHUNK = 1 << 16;
    /**
     * Infix of a creator's temporary file: {@code .NAME.mmipc.tmp-<creator token>-<nanos>}; a creator that dies
     * before publishing leaves it, and {@code SharedObjects.removeAbandoned} finds it by the dead token.
     */
    public static final String TMP_INFIX = ".tmp-";

    private final Path path;
    private final String label;
    private final ObjectType type;
    private final MappedMemory memory;
    private final long[] params;
    /** This process's registry entry; set once attached, before the handle is handed out. */
    private int entry = -1;
    /** Watches for the file being truncated under the mapping; set once the file is complete. */
    private SizeGuard size;
    private final Registry.DeadEntryHandler reclaim;
    private volatile boolean closed;
    /**
     * Calls in flight on this handle (low bits), plus {@link #CLOSING} once {@link #close} was called and
     * {@link #RELEASED} once the registry entry is detached and the memory unmapped. The last of close and the
     * calls in flight releases, so no thread ever touches unmapped memory and no registry entry is given up
     * while a call of this process may still own a claim or a lock under it.
     */
    private final AtomicInteger calls = new AtomicInteger();
    /** Further mappings of this object (e.g. a map's heap segments), closed when this handle is released. */
    private final List<AutoCloseable> closeWith = new CopyOnWriteArrayList<>();
    private static final int CLOSING = 1 << 29;
    private static final int RELEASED = 1 << 30;

    private SharedFile(Path path, String label, ObjectType type, MappedMemory memory, long[] params,
                       Registry.DeadEntryHandler reclaim) {
        this.reclaim = reclaim;
        this.path = path;
        this.label = label;
        this.type = type;
        this.memory = memory;
        this.params = params;
    }

    /** Checks an opened file's layout parameters before this process attaches to it. */
    @FunctionalInterface
    public interface Validator {
        /**
         * @param file the opened, mapped, not yet attached file (only {@link #path()}, {@link #param(int)} and
         *             {@link #memory()} may be used)
         * @throws IOException naming the problem ({@link ObjectFileException} for a bad file)
         */
        void validate(SharedFile file) throws IOException;
    }

    /**
     * Creates a new object file that records no codec. See
     * {@link #create(Path, String, ObjectType, int, long[], long, String, Consumer, Registry.DeadEntryHandler)}.
     *
     * @param path     where the object lives
     * @param label    how messages name the object, e.g. {@code queue 'jobs'}
     * @param type     the object type recorded in the header
     * @param version  the type's layout version
     * @param params   the layout parameters (at most {@link HeaderLayout#PARAM_COUNT})
     * @param size     total file size, header included
     * @param init     writes the initial body (called before the header is published)
     * @param reclaim  cleans up after a dead process's registry entry (see {@link Registry})
     * @return the open handle
     * @throws IOException if the file cannot be created, allocated or mapped
     */
    public static SharedFile create(Path path, String label, ObjectType type, int version, long[] params,
                                    long size, Consumer<MappedMemory> init, Registry.DeadEntryHandler reclaim)
            throws IOException {
        return create(path, label, type, version, params, size, null, init, reclaim);
    }

    /**
     * Creates a new object file. Fails with {@link FileAlreadyExistsException} if the name is taken.
     *
     * @param path     where the object lives
     * @param label    how messages name the object, e.g. {@code queue 'jobs'}
     * @param type     the object type recorded in the header
     * @param version  the type's layout version
     * @param params   the layout parameters (at most {@link HeaderLayout#PARAM_COUNT})
     * @param size     total file size, header included
     * @param codec    the name of the codec items are encoded with (see {@link CodecIdentity}), or null
     * @param init     writes the initial body (called before the header is published)
     * @param reclaim  cleans up after a dead process's registry entry (see {@link Registry})
     * @return the open handle
     * @throws IOException if the file cannot be created, allocated or mapped
     */
    public static SharedFile create(Path path, String label, ObjectType type, int version, long[] params,
                                    long size, String codec, Consumer<MappedMemory> init,
                                    Registry.DeadEntryHandler reclaim) throws IOException {
        if (params.length > HeaderLayout.PARAM_COUNT) {
            throw new IllegalArgumentException("too many layout parameters: " + params.length);
        }
        Path dir = path.toAbsolutePath().getParent();
        Directories.prepare(dir, true);
        Path tmp = dir.resolve("." + path.getFileName() + TMP_INFIX + ProcessIdentity.toHex(ProcessIdentity.self())
                + "-" + Long.toHexString(System.nanoTime()));
        Files.createFile(tmp, FileAccess.fileAttribute());
        MappedMemory memory = null;
        try {
            FileAccess.applySharing(tmp, false);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS)) {
                allocate(ch, size, path);
                memory = MappedMemory.map(ch, size, path.toString());
            }
            memory.putInt(HeaderLayout.VERSION_OFFSET, version);
            memory.putInt(HeaderLayout.TYPE_OFFSET, type.code());
            memory.putLong(HeaderLayout.FILE_SIZE_OFFSET, size);
            memory.putLong(HeaderLayout.CREATOR_OFFSET, ProcessIdentity.self());
            CodecIdentity.write(memory, codec);
            for (int i = 0; i < params.length; i++) {
                memory.putLong(HeaderLayout.paramOffset(i), params[i]);
            }
            init.accept(memory);
            // Release: publishes the whole initialised header and body to anyone who acquires the magic.
            memory.putLongRelease(HeaderLayout.MAGIC_OFFSET, HeaderLayout.MAGIC);
            // Registered before the name exists, so a cleanup never sees a new object with nobody attached.
            int entry = Registry.attach(memory, label, reclaim);
            try {
                Files.createLink(path, tmp);
            } catch (FileAlreadyExistsException e) {
                throw new FileAlreadyExistsException(path.toString(), null, label + " already exists");
            }
            SharedFile file = new SharedFile(path, label, type, memory, params.clone(), reclaim);
            file.entry = entry;
            file.size = new SizeGuard(path, label, memory.size());
            memory = null;
            return file;
        } finally {
            if (memory != null) {
                memory.close(); // a failed create must not keep its mapping (JDK 22+ unmaps here)
            }
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Writes zeros over {@code size} bytes of a new file, so that a full {@code /dev/shm} fails here with an
     * {@link IOException} rather than later with SIGBUS on first touch of a page.
     *
     * @param ch   the file, open for writing
     * @param size the number of bytes from offset 0
     * @param path the file, for the message
     * @throws IOException naming the file and its folder if the space cannot be allocated
     */
    public static void allocate(FileChannel ch, long size, Path path) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocateDirect(ZERO_CHUNK);
        long at = 0;
        try {
            while (at < size) {
                zeros.clear();
                zeros.limit((int) Math.min(ZERO_CHUNK, size - at));
                at += ch.write(zeros, at);
            }
        } catch (IOException e) {
            throw new IOException("cannot allocate " + size + " bytes for " + path + " (is "
                    + path.getParent() + " full?): " + e.getMessage(), e);
        }
    }

    /**
     * Opens an existing object file that records no codec and has no parameters to check. See
     * {@link #open(Path, String, ObjectType, int, String, Validator, Registry.DeadEntryHandler)}.
     *
     * @param path    where the object lives
     * @param label   how messages name the object
     * @param type    the type expected
     * @param version the layout version expected
     * @param reclaim cleans up after a dead process's registry entry
     * @return the open handle
     * @throws NoSuchFileException   if there is no such object
     * @throws ObjectFileException   if the file is not a valid object of that type and version
     * @throws IOException           if it cannot be read or mapped
     */
    public static SharedFile open(Path path, String label, ObjectType type, int version,
                                  Registry.DeadEntryHandler reclaim) throws IOException {
        return open(path, label, type, version, null, null, reclaim);
    }

    /**
     * Opens an existing object file: checks the folder and the file (owner, mode, no symbolic link), takes the
     * folder's {@link FolderLock} shared so that no removal of abandoned objects runs meanwhile, validates the header
     * (magic, type, version, size, codec) and then the parameters, and only then attaches to the registry
     * (whose dead-entry clean-up therefore never runs on a file that was not trusted).
     *
     * @param path      where the object lives
     * @param label     how messages name the object
     * @param type      the type expected
     * @param version   the layout version expected
     * @param codec     the opener's codec name, checked against the file's (null: no check)
     * @param validator checks the layout parameters before attaching (null: none)
     * @param reclaim   cleans up after a dead process's registry entry
     * @return the open handle
     * @throws NoSuchFileException   if there is no such object
     * @throws ObjectFileException   if the file is not a valid object of that type, version and codec
     * @throws IOException           if it cannot be read or mapped
     */
    public static SharedFile open(Path path, String label, ObjectType type, int version, String codec,
                                  Validator validator, Registry.DeadEntryHandler reclaim) throws IOException {
        Directories.prepare(path.toAbsolutePath().getParent(), false);
        FileAccess.checkFile(path);
        long[] params = new long[HeaderLayout.PARAM_COUNT];
        MappedMemory memory;
        // One open or removal at a time in this JVM: closing any channel of a file drops all of this
        // process's fcntl locks on it, so no other thread may close one while the shared lock matters.
        synchronized (ATTACH_LOCK) {
            FileLock folder = FolderLock.acquire(path.toAbsolutePath().getParent(), true);
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS)) {
                ByteBuffer head = HeaderCheck.read(ch);
                HeaderCheck.check(path, head, ch.size(), type, version);
                CodecIdentity.check(path, head, codec);
                for (int i = 0; i < params.length; i++) {
                    params[i] = head.getLong(HeaderLayout.paramOffset(i));
                }
                memory = MappedMemory.map(ch, ch.size(), path.toString());
                try {
                    // Acquire: pairs with the creator's release of the magic, so the header and body are complete.
                    if (memory.getLongAcquire(HeaderLayout.MAGIC_OFFSET) != HeaderLayout.MAGIC) {
                        throw new ObjectFileException(path, "magic number changed while opening");
                    }
                    HeaderCheck.checkWaiters(path, memory);
                    SharedFile file = new SharedFile(path, label, type, memory, params, reclaim);
                    if (validator != null) {
                        validator.validate(file);
                    }
                    file.entry = Registry.attach(memory, label, reclaim);
                    file.size = new SizeGuard(path, label, memory.size());
                    return file;
                } catch (IOException | RuntimeException | Error e) {
                    memory.close();
                    throw e;
                }
            } finally {
                folder.release();
            }
        }
    }

    /** @return the mapped file */
    public MappedMemory memory() {
        return memory;
    }

    /** @return layout parameter {@code i} as recorded in the header */
    public long param(int i) {
        return params[i];
    }

    /** @return where the object lives */
    public Path path() {
        return path;
    }

    /** @return how messages name this object, e.g. {@code queue 'jobs'} */
    public String label() {
        return label;
    }

    /** @return the object type */
    public ObjectType type() {
        return type;
    }

    /** @return this process's registry entry index */
    public int entry() {
        return entry;
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Throws the standard "closed" error if this handle is closed, and (at most every 10 ms) checks that the
     * file was not truncated (see {@link #checkIntact()}).
     *
     * @throws IllegalStateException naming the object
     * @throws UncheckedIOException  if the file was truncated
     */
    public void ensureOpen() {
        if (closed) {
            throw closedError();
        }
        size.checkIfDue();
    }

    /** Removes the object's name; processes that have it open keep using it until they close it. */
    public void unlink() throws IOException {
        Files.deleteIfExists(path);
    }

    /**
     * Enters a call on this handle: until the matching {@link #exit()}, {@link #close()} neither detaches
     * the handle nor unmaps its memory (it marks the handle closed and wakes waiters, and the last call out
     * finishes the close). Every public operation of a handle runs between {@code enter()} and {@code exit()}.
     *
     * @throws IllegalStateException naming the object, if the handle is closed
     */
    public void enter() {
        int s = calls.getAndIncrement();
        if ((s & (CLOSING | RELEASED)) != 0) {
            exit();
            throw closedError();
        }
        try {
            size.checkIfDue();
        } catch (RuntimeException e) {
            exit();
            throw e;
        }
    }

    /**
     * Checks that the file still has the size it was mapped with (a stat of its name, when the name still
     * refers to this file). Touching a page past the end of a truncated file faults: on JDK 22+ the JDK
     * reports it as an error, but on JDK 17 an atomic access there can crash the JVM, so every call checks
     * (at most once every 10 ms per handle, from {@link #enter()}) and waits should check before sleeping.
     *
     * @throws UncheckedIOException wrapping an {@link ObjectFileException} naming the file and both sizes
     */
    public void checkIntact() {
        size.check();
    }

    /** Leaves a call entered with {@link #enter()}; the last call out of a closed handle releases it. */
    public void exit() {
        if (calls.decrementAndGet() == CLOSING) {
            release();
        }
    }

    /** Detaches this handle from the registry and unmaps it (once no call is in flight). Idempotent. */
    @Override
    public void close() {
        close(null);
    }

    /**
     * Marks this handle closed, runs {@code wake} (for example, waking this process's threads blocked on the
     * object, which then see {@link #isClosed()} and leave), and detaches and unmaps it as soon as no call
     * entered with {@link #enter()} is in flight: at once if none is, otherwise when the last one exits.
     * Idempotent; never blocks on calls in flight.
     *
     * @param wake run once, after the handle is marked closed, while the memory is still mapped; may be null
     */
    public void close(Runnable wake) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        // Held as a call of our own while waking, so the memory stays mapped during wake.
        calls.getAndIncrement();
        calls.getAndAdd(CLOSING);
        try {
            if (wake != null && size.isIntact()) {
                wake.run();
            }
        } catch (UncheckedIOException | InternalError faulted) {
            // The mapping faulted (the file was truncated): nobody can be woken through it; close anyway.
            Log.FILE.log(Level.WARNING, label + ": the file was truncated under its mapping; closing without waking "
                    + "waiters", faulted);
        } finally {
            exit();
        }
    }

    /** Detaches and unmaps, exactly once. */
    private void release() {
        if (!calls.compareAndSet(CLOSING, CLOSING | RELEASED)) {
            return;
        }
        try {
            if (size.isIntact()) {
                synchronized (ATTACH_LOCK) {
                    Registry.detach(memory, entry, reclaim);
                }
            }
        } catch (UncheckedIOException | InternalError faulted) {
            // The file was truncated under the mapping: there is no registry left to leave. Never thrown from close.
            Log.FILE.log(Level.WARNING, label + ": the file was truncated under its mapping; closing without "
                    + "leaving its registry", faulted);
        } finally {
            memory.close();
            for (AutoCloseable c : closeWith) {
                try {
                    c.close();
                } catch (Exception e) {
                    // A mapping's close does not fail in practice; the others are still closed.
                    Log.FILE.log(Level.WARNING, label + ": closing a resource of the handle failed", e);
                }
            }
        }
    }

    /**
     * Closes {@code resource} together with this handle: when it is released (after {@link #close()}, once no
     * call is in flight). For further mappings of the same object, opened during a call on this handle.
     *
     * @param resource closed once, when the handle is released
     */
    public void closeWith(AutoCloseable resource) {
        closeWith.add(resource);
        if ((calls.get() & RELEASED) != 0) {
            // Released meanwhile (possibly before our add was seen): close it here; closing twice is harmless.
            try {
                resource.close();
            } catch (Exception e) {
                Log.FILE.log(Level.WARNING, label + ": closing a resource of the handle failed", e);
            }
        }
    }

    /** @return the exception every call on a closed handle throws */
    public IllegalStateException closedError() {
        return new IllegalStateException(label + " is closed");
    }

    static Object attachLock() {
        return ATTACH_LOCK;
    }

    /** Throws a clear error if a validated parameter is out of range. */
    public static void check(boolean condition, Path path, String problem) throws ObjectFileException {
        if (!condition) {
            throw new ObjectFileException(path, problem);
        }
    }
}
