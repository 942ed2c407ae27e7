package io.mmipc.pipe;

import io.mmipc.ObjectFileException;
import io.mmipc.WaitMode;
import io.mmipc.codec.Codec;
import io.mmipc.internal.file.AwaitName;
import io.mmipc.internal.file.Directories;
import io.mmipc.internal.file.ObjectType;
import io.mmipc.internal.file.SharedFile;
import io.mmipc.internal.pipe.PipeLayout;
import io.mmipc.internal.pipe.PipeReclaimer;
import io.mmipc.internal.ring.QueueLayout;
import io.mmipc.internal.ring.Spill;
import io.mmipc.internal.wait.EventCount;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Creates or opens a pipe by name (in {@link io.mmipc.SharedObjects#defaultDirectory()} unless told
 * otherwise) or by path. Obtain one from {@link SharedPipe#builder}.
 *
 * @param <T> the type of object the ends carry
 */
public final class PipeBuilder<T> {
    /** Default capacity of each direction's ring, in bytes. */
    public static final long DEFAULT_CAPACITY = 256 << 10;
    /** Default slot size in bytes. */
    public static final int DEFAULT_SLOT_SIZE = 64;

    private final String name;
    private final Codec<T> codec;
    private Path directory;
    private Path path;
    private Long capacity;
    private Integer slotSize;
    private Boolean duplex;
    private WaitMode waitMode;

    PipeBuilder(String name, Codec<T> codec) {
        this.name = Directories.checkName(name);
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    /**
     * Puts the pipe in this folder instead of the default one.
     *
     * @param dir the folder
     * @return this builder
     */
    public PipeBuilder<T> directory(Path dir) {
        this.directory = Objects.requireNonNull(dir, "dir");
        return this;
    }

    /**
     * Uses exactly this file (the name then only labels messages).
     *
     * @param file the file
     * @return this builder
     */
    public PipeBuilder<T> path(Path file) {
        this.path = Objects.requireNonNull(file, "file");
        return this;
    }

    /**
     * Capacity of each direction's ring in bytes, rounded up to a power of two (default 256 KiB, range
     * 1 KiB to 256 MiB). Messages up to half of it travel in the ring; larger ones through a side file.
     * On open, if set, it must match the file.
     *
     * @param bytes each direction's ring capacity in bytes
     * @return this builder
     */
    public PipeBuilder<T> capacity(long bytes) {
        if (bytes < PipeLayout.MIN_CAPACITY || bytes > PipeLayout.MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity out of range [1 KiB, 256 MiB]: capacity=" + bytes);
        }
        this.capacity = Long.highestOneBit(bytes - 1) << 1;
        return this;
    }

    /**
     * Slot size in bytes, a power of two from 16 to 65536 (default 64): the ring's allocation unit.
     *
     * @param bytes the slot size in bytes
     * @return this builder
     */
    public PipeBuilder<T> slotSize(int bytes) {
        if (Integer.bitCount(bytes) != 1 || bytes < 16 || bytes > 65536) {
            throw new IllegalArgumentException("slot size must be a power of two in [16, 65536]: slotSize=" + bytes);
        }
        this.slotSize = bytes;
        return this;
    }

    /**
     * Python's {@code duplex} (default true): both ends send and receive. False makes a simplex pipe whose
     * {@link PipeEnd#FIRST} end only receives and {@link PipeEnd#SECOND} end only sends. On open, if set, it
     * must match the file.
     *
     * @param duplex true for a duplex pipe, false for a simplex one
     * @return this builder
     */
    public PipeBuilder<T> duplex(boolean duplex) {
        this.duplex = duplex;
        return this;
    }

    /**
     * How this handle's blocking calls wait (default: the {@code mmipc.wait} property, else AUTO).
     *
     * @param mode how to wait
     * @return this builder
     */
    public PipeBuilder<T> waitMode(WaitMode mode) {
        this.waitMode = Objects.requireNonNull(mode, "mode");
        return this;
    }

    /**
     * Creates the pipe and returns both ends, held by this process (Python's {@code Pipe()}).
     *
     * @return the pipe, both ends held by this process
     * @throws FileAlreadyExistsException if an object of that name exists
     * @throws IOException                if the file cannot be created (for example, no room)
     */
    public SharedPipe<T> create() throws IOException {
        WaitMode mode = EventCount.resolve(waitMode);
        PipeFile pipe = new PipeFile(createFile(mode), mode, 2);
        pipe.join(PipeEnd.FIRST);
        pipe.join(PipeEnd.SECOND);
        return new SharedPipe<>(new PipeConnection<>(pipe, PipeEnd.FIRST, codec),
                new PipeConnection<>(pipe, PipeEnd.SECOND, codec));
    }

    /**
     * Creates the pipe holding only end {@code end}; the other end is awaited (not at end-of-file) until a
     * process opens it.
     *
     * @param end the end this process holds
     * @return the connection of that end
     * @throws FileAlreadyExistsException if an object of that name exists
     */
    public PipeConnection<T> create(PipeEnd end) throws IOException {
        Objects.requireNonNull(end, "end");
        WaitMode mode = EventCount.resolve(waitMode);
        PipeFile pipe = new PipeFile(createFile(mode), mode, 1);
        pipe.join(end);
        return new PipeConnection<>(pipe, end, codec);
    }

    /**
     * Opens end {@code end} of an existing pipe, checking its file and any capacity, slot size or duplex set
     * on this builder. Any number of processes may hold either end.
     *
     * @param end the end to open
     * @return the connection of that end
     * @throws NoSuchFileException if there is no such pipe
     * @throws ObjectFileException if the file is not a valid pipe, or its parameters differ
     */
    public PipeConnection<T> open(PipeEnd end) throws IOException {
        Objects.requireNonNull(end, "end");
        WaitMode mode = EventCount.resolve(waitMode);
        Path p = file();
        SharedFile file;
        try {
            // Validated before attaching: dead entries are reclaimed only on a file whose parameters were checked.
            file = SharedFile.open(p, label(), ObjectType.PIPE, PipeLayout.VERSION, codec.name(), this::validate,
                    new PipeReclaimer(mode, p));
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(p.toString(), null, label() + " does not exist");
        } catch (UncheckedIOException e) {
            // A reclaimer run by the open (for a dead process's entry) found the header's parameters corrupt.
            if (e.getCause() instanceof ObjectFileException) {
                throw (ObjectFileException) e.getCause();
            }
            throw e;
        }
        try {
            checkStillNamed(file);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
        PipeFile pipe = new PipeFile(file, mode, 1);
        pipe.join(end);
        return new PipeConnection<>(pipe, end, codec);
    }

    /**
     * Opens an existing pipe end, waiting up to {@code timeout} for it to be created (a consumer may start before
     * its producer). The wait is woken by the folder's change notification (inotify on Linux), not by polling.
     *
     * @param end     the end to hold
     * @param timeout how long to wait for the object to appear
     * @return the open connection
     * @throws NoSuchFileException  if it did not appear in time
     * @throws ObjectFileException  if the file is not a valid pipe of this kind, or its parameters differ
     * @throws IOException          if it cannot be read or mapped
     * @throws InterruptedException if interrupted while waiting
     */
    public PipeConnection<T> open(PipeEnd end, Duration timeout) throws IOException, InterruptedException {
        Objects.requireNonNull(end, "end");
        return AwaitName.open(file(), label(), timeout, () -> open(end));
    }

    /**
     * Opens end {@code end} if the pipe exists, else creates it holding that end (racing creators agree).
     *
     * @param end the end to hold
     * @return the connection of that end
     * @throws IOException if the file cannot be opened, created or mapped, or is not such a pipe
     */
    public PipeConnection<T> openOrCreate(PipeEnd end) throws IOException {
        while (true) {
            try {
                return open(end);
            } catch (NoSuchFileException e) {
                try {
                    return create(end);
                } catch (FileAlreadyExistsException raced) {
                    // someone created it between our open and create: open theirs
                }
            }
        }
    }

    private SharedFile createFile(WaitMode mode) throws IOException {
        long cap = capacity != null ? capacity : DEFAULT_CAPACITY;
        int slot = slotSize != null ? slotSize : DEFAULT_SLOT_SIZE;
        boolean dup = duplex == null || duplex;
        long slots = cap / slot;
        String problem = PipeLayout.checkRing(slots, slot);
        if (problem != null) {
            throw new IllegalArgumentException("capacity / slotSize: " + problem + " (capacity=" + cap
                    + ", slotSize=" + slot + ")");
        }
        long[] params = new long[3];
        params[PipeLayout.P_SLOTS] = slots;
        params[PipeLayout.P_SLOT_SIZE] = slot;
        params[PipeLayout.P_FLAGS] = dup ? PipeLayout.FLAG_DUPLEX : 0;
        return SharedFile.create(file(), label(), ObjectType.PIPE, PipeLayout.VERSION, params,
                PipeLayout.fileSize(slots, slot, dup), codec.name(), m -> PipeFile.initialise(m, slots, slot, dup),
                new PipeReclaimer(mode, file()));
    }

    /**
     * Fails if the pipe's name was removed while it was being opened: its side files may be deleted already
     * (a remover deletes them when no live process holds the pipe, and this one attached only now).
     */
    private void checkStillNamed(SharedFile file) throws IOException {
        int at = PipeLayout.RING_0 + QueueLayout.INSTANCE;
        if (!Spill.holdsInstance(file.path(), file.memory().getLong(at), at)) {
            throw new NoSuchFileException(file.path().toString(), null, label() + " was removed while opening");
        }
    }

    private void validate(SharedFile file) throws ObjectFileException {
        Path p = file.path();
        long slots = file.param(PipeLayout.P_SLOTS);
        long slot = file.param(PipeLayout.P_SLOT_SIZE);
        long flags = file.param(PipeLayout.P_FLAGS);
        String problem = PipeLayout.checkRing(slots, slot);
        SharedFile.check(problem == null, p, "corrupt pipe header: " + problem);
        SharedFile.check((flags & ~PipeLayout.FLAG_DUPLEX) == 0, p, "corrupt pipe header: flags=" + flags);
        boolean dup = (flags & PipeLayout.FLAG_DUPLEX) != 0;
        SharedFile.check(file.memory().size() == PipeLayout.fileSize(slots, slot, dup), p,
                "corrupt pipe header: size does not match slots=" + slots + ", slotSize=" + slot + ", duplex=" + dup);
        if (capacity != null) {
            SharedFile.check(capacity == slots * slot, p, "capacity mismatch: requested=" + capacity + ", file="
                    + slots * slot);
        }
        if (slotSize != null) {
            SharedFile.check(slotSize == slot, p, "slot size mismatch: requested=" + slotSize + ", file=" + slot);
        }
        if (duplex != null) {
            SharedFile.check(duplex == dup, p, "duplex mismatch: requested=" + duplex + ", file=" + dup);
        }
    }

    private Path file() {
        if (path != null) {
            return path.toAbsolutePath();
        }
        Path dir = directory != null ? directory : Directories.defaultDirectory();
        return Directories.objectPath(dir, name);
    }

    private String label() {
        return ObjectType.PIPE.label() + " '" + name + "'";
    }
}
