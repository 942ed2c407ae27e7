package io.mmipc.internal.file;

import io.mmipc.ObjectFileException;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.proc.ProcessIdentity;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

    private final Path path;
    private final String label;
    private final ObjectType type;
    private final MappedMemory memory;
    private final long[] params;
    private final int entry;
    private final Registry.DeadEntryHandler reclaim;
    private volatile boolean closed;
    /**
     * Calls in flight on this handle (low bits), plus {@link #CLOSING} once {@link #close} was called and
     * {@link #RELEASED} once the registry entry is detached and the memory unmapped. The last of close and the
     * calls in flight releases, so no thread ever touches unmapped memory and no registry entry is given up
     * while a call of this process may still own a claim or a lock under it.
     */
    private final AtomicInteger calls = new AtomicInteger();
    private static final int CLOSING = 1 << 29;
    private static final int RELEASED = 1 << 30;

    private SharedFile(Path path, String label, ObjectType type, MappedMemory memory, long[] params,
                       int entry, Registry.DeadEntryHandler reclaim) {
        this.reclaim = reclaim;
        this.path = path;
        this.label = label;
        this.type = type;
        this.memory = memory;
        this.params = params;
        this.entry = entry;
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
     * @param init     writes the initial body (called before the header is published)
     * @param reclaim  cleans up after a dead process's registry entry (see {@link Registry})
     * @return the open handle
     * @throws IOException if the file cannot be created, allocated or mapped
     */
    public static SharedFile create(Path path, String label, ObjectType type, int version, long[] params,
                                    long size, Consumer<MappedMemory> init, Registry.DeadEntryHandler reclaim)
            throws IOException {
        if (params.length > HeaderLayout.PARAM_COUNT) {
            throw new IllegalArgumentException("too many layout parameters: " + params.length);
        }
        Path dir = path.toAbsolutePath().getParent();
        Directories.ensurePrivateDirectory(dir);
        Path tmp = dir.resolve("." + path.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-"
                + Long.toHexString(System.nanoTime()));
        Files.createFile(tmp, Directories.OWNER_ONLY_FILE);
        try {
            MappedMemory memory;
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                allocate(ch, size, path);
                memory = MappedMemory.map(ch, size);
            }
            memory.putInt(HeaderLayout.VERSION_OFFSET, version);
            memory.putInt(HeaderLayout.TYPE_OFFSET, type.code());
            memory.putLong(HeaderLayout.FILE_SIZE_OFFSET, size);
            memory.putLong(HeaderLayout.CREATOR_OFFSET, ProcessIdentity.self());
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
            return new SharedFile(path, label, type, memory, params.clone(), entry, reclaim);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void allocate(FileChannel ch, long size, Path path) throws IOException {
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
     * Opens an existing object file and validates its header.
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
        MappedMemory memory;
        long[] params = new long[HeaderLayout.PARAM_COUNT];
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long actual = ch.size();
            if (actual < HeaderLayout.BODY_OFFSET) {
                throw new ObjectFileException(path, "not an mmipc " + type.label()
                        + ": file too short for a header: size=" + actual);
            }
            ByteBuffer head = ByteBuffer.allocate(HeaderLayout.PARAMS_OFFSET + 8 * HeaderLayout.PARAM_COUNT)
                    .order(ByteOrder.nativeOrder());
            while (head.hasRemaining() && ch.read(head, head.position()) > 0) {
                // keep reading
            }
            if (head.getLong(HeaderLayout.MAGIC_OFFSET) != HeaderLayout.MAGIC) {
                throw new ObjectFileException(path, "not an mmipc object (bad magic number)");
            }
            int foundType = head.getInt(HeaderLayout.TYPE_OFFSET);
            if (foundType != type.code()) {
                ObjectType t = ObjectType.ofCode(foundType);
                throw new ObjectFileException(path, "wrong object type: expected " + type.label() + ", found "
                        + (t == null ? "unknown type code " + foundType : t.label()));
            }
            int foundVersion = head.getInt(HeaderLayout.VERSION_OFFSET);
            if (foundVersion != version) {
                throw new ObjectFileException(path, "unsupported layout version: expected=" + version
                        + ", found=" + foundVersion);
            }
            long size = head.getLong(HeaderLayout.FILE_SIZE_OFFSET);
            if (size != actual) {
                throw new ObjectFileException(path, "file size does not match its header (truncated or "
                        + "corrupt): header=" + size + ", actual=" + actual);
            }
            for (int i = 0; i < params.length; i++) {
                params[i] = head.getLong(HeaderLayout.paramOffset(i));
            }
            memory = MappedMemory.map(ch, size);
        }
        // Acquire: pairs with the creator's release of the magic, so the header and body are complete.
        if (memory.getLongAcquire(HeaderLayout.MAGIC_OFFSET) != HeaderLayout.MAGIC) {
            throw new ObjectFileException(path, "magic number changed while opening");
        }
        int entry = Registry.attach(memory, label, reclaim);
        return new SharedFile(path, label, type, memory, params, entry, reclaim);
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
     * Throws the standard "closed" error if this handle is closed.
     *
     * @throws IllegalStateException naming the object
     */
    public void ensureOpen() {
        if (closed) {
            throw closedError();
        }
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
            if (wake != null) {
                wake.run();
            }
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
            synchronized (ATTACH_LOCK) {
                Registry.detach(memory, entry, reclaim);
            }
        } finally {
            memory.close();
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
