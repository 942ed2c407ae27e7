package io.mmipc.queue;

import io.mmipc.ObjectFileException;
import io.mmipc.WaitMode;
import io.mmipc.codec.Codec;
import io.mmipc.internal.file.AwaitName;
import io.mmipc.internal.file.Directories;
import io.mmipc.internal.file.HeaderLayout;
import io.mmipc.internal.file.ObjectType;
import io.mmipc.internal.file.SharedFile;
import io.mmipc.internal.ring.QueueLayout;
import io.mmipc.internal.ring.QueueReclaimer;
import io.mmipc.internal.ring.Ring;
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
 * Creates or opens a queue by name (in {@link io.mmipc.SharedObjects#defaultDirectory()} unless told
 * otherwise) or by path. Obtain one from {@link SharedQueue#builder} or {@link SharedJoinableQueue#builder}.
 *
 * @param <E> the item type
 * @param <Q> the queue type built
 */
public final class QueueBuilder<E, Q extends SharedQueue<E>> {
    /** Default ring capacity in bytes. */
    public static final long DEFAULT_CAPACITY = 1 << 20;
    /** Default slot size in bytes. */
    public static final int DEFAULT_SLOT_SIZE = 64;

    /** Makes the queue object once the file is open. */
    interface Factory<E, Q> {
        Q make(SharedFile file, Ring ring, Codec<E> codec, WaitMode mode);
    }

    private final String name;
    private final Codec<E> codec;
    private final boolean joinable;
    private final Factory<E, Q> factory;
    private Path directory;
    private Path path;
    private Long capacity;
    private Integer slotSize;
    private Integer maxSize;
    private WaitMode waitMode;
    /** Test hook: the ring's first slot position and the age of its control words (see Ring.initialise). */
    private long firstPosition;
    private long staleBy;

    QueueBuilder(String name, Codec<E> codec, boolean joinable, Factory<E, Q> factory) {
        this.name = Directories.checkName(name);
        this.codec = Objects.requireNonNull(codec, "codec");
        this.joinable = joinable;
        this.factory = factory;
    }

    /**
     * Puts the object in this folder instead of the default one.
     *
     * @param dir the folder
     * @return this builder
     */
    public QueueBuilder<E, Q> directory(Path dir) {
        this.directory = Objects.requireNonNull(dir, "dir");
        return this;
    }

    /**
     * Uses exactly this file (the name then only labels messages).
     *
     * @param file the file
     * @return this builder
     */
    public QueueBuilder<E, Q> path(Path file) {
        this.path = Objects.requireNonNull(file, "file");
        return this;
    }

    /**
     * Ring capacity in bytes, rounded up to a power of two (default 1 MiB). Messages up to half of it are
     * stored in the ring; larger ones go through a side file. On open, if set, it must match the file.
     *
     * @param bytes the ring capacity in bytes
     * @return this builder
     */
    public QueueBuilder<E, Q> capacity(long bytes) {
        if (bytes < 1024 || bytes > (1L << 30)) {
            throw new IllegalArgumentException("capacity out of range [1 KiB, 1 GiB]: capacity=" + bytes);
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
    public QueueBuilder<E, Q> slotSize(int bytes) {
        if (Integer.bitCount(bytes) != 1 || bytes < QueueLayout.MIN_SLOT_SIZE || bytes > QueueLayout.MAX_SLOT_SIZE) {
            throw new IllegalArgumentException("slot size must be a power of two in [16, 65536]: slotSize=" + bytes);
        }
        this.slotSize = bytes;
        return this;
    }

    /**
     * Python's {@code maxsize}: at most this many messages (0, the default, means bounded by bytes only).
     *
     * @param messages the most messages queued at once; 0 for no count limit
     * @return this builder
     */
    public QueueBuilder<E, Q> maxSize(int messages) {
        if (messages < 0 || messages >= QueueLayout.MAX_SLOTS) {
            throw new IllegalArgumentException("maxSize out of range [0, 2^23): maxSize=" + messages);
        }
        this.maxSize = messages;
        return this;
    }

    /**
     * How this handle's blocking calls wait (default: the {@code mmipc.wait} property, else AUTO).
     *
     * @param mode how to wait
     * @return this builder
     */
    public QueueBuilder<E, Q> waitMode(WaitMode mode) {
        this.waitMode = Objects.requireNonNull(mode, "mode");
        return this;
    }

    /** Test hook: start the new ring's positions at {@code first}, with control words {@code staleBy} old. */
    QueueBuilder<E, Q> startPositions(long first, long staleBy) {
        this.firstPosition = first;
        this.staleBy = staleBy;
        return this;
    }

    private Path file() {
        if (path != null) {
            return path.toAbsolutePath();
        }
        Path dir = directory != null ? directory : Directories.defaultDirectory();
        return Directories.objectPath(dir, name);
    }

    private ObjectType type() {
        return joinable ? ObjectType.JOINABLE_QUEUE : ObjectType.QUEUE;
    }

    private String label() {
        return type().label() + " '" + name + "'";
    }

    /**
     * Creates the queue.
     *
     * @return the open queue
     * @throws FileAlreadyExistsException if an object of that name exists
     * @throws IOException                if the file cannot be created (for example, no room)
     */
    public Q create() throws IOException {
        WaitMode mode = EventCount.resolve(waitMode);
        long cap = capacity != null ? capacity : DEFAULT_CAPACITY;
        int slot = slotSize != null ? slotSize : DEFAULT_SLOT_SIZE;
        long slots = cap / slot;
        if (slots < 2 || slots > QueueLayout.MAX_SLOTS) {
            throw new IllegalArgumentException("capacity / slotSize must give 2 to 2^23 slots: capacity=" + cap
                    + ", slotSize=" + slot);
        }
        long[] params = new long[4];
        params[QueueLayout.P_SLOTS] = slots;
        params[QueueLayout.P_SLOT_SIZE] = slot;
        params[QueueLayout.P_MAX_SIZE] = maxSize != null ? maxSize : 0;
        params[QueueLayout.P_FLAGS] = joinable ? QueueLayout.FLAG_JOINABLE : 0;
        SharedFile file = SharedFile.create(file(), label(), type(), QueueLayout.VERSION, params,
                QueueLayout.fileSize(slots, slot), codec.name(),
                m -> Ring.initialise(m, HeaderLayout.BODY_OFFSET, slots, firstPosition, staleBy),
                new QueueReclaimer(mode, file()));
        return factory.make(file, new Ring(file, mode), codec, mode);
    }

    /**
     * Opens an existing queue, checking its file and any capacity, slot size or maxsize set on this builder.
     *
     * @return the open queue
     * @throws NoSuchFileException  if there is no such queue
     * @throws ObjectFileException  if the file is not a valid queue of this kind, or its parameters differ
     * @throws IOException          if it cannot be read or mapped
     */
    public Q open() throws IOException {
        WaitMode mode = EventCount.resolve(waitMode);
        Path p = file();
        SharedFile file;
        try {
            // Validated before attaching: the reclaimer runs only on a file whose header was trusted.
            file = SharedFile.open(p, label(), type(), QueueLayout.VERSION, codec.name(), this::validate,
                    new QueueReclaimer(mode, p));
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
        return factory.make(file, new Ring(file, mode), codec, mode);
    }

    /**
     * Opens an existing queue, waiting up to {@code timeout} for it to be created (a consumer may start before
     * its producer). The wait is woken by the folder's change notification (inotify on Linux), not by polling.
     *
     * @param timeout how long to wait for the object to appear
     * @return the open queue
     * @throws NoSuchFileException  if it did not appear in time
     * @throws ObjectFileException  if the file is not a valid queue of this kind, or its parameters differ
     * @throws IOException          if it cannot be read or mapped
     * @throws InterruptedException if interrupted while waiting
     */
    public Q open(Duration timeout) throws IOException, InterruptedException {
        return AwaitName.open(file(), label(), timeout, this::open);
    }

    /**
     * Opens the queue if it exists, else creates it (racing creators agree on one file).
     *
     * @return a handle on the queue
     * @throws IOException if the file cannot be opened, created or mapped, or is not such a queue
     */
    public Q openOrCreate() throws IOException {
        while (true) {
            try {
                return open();
            } catch (NoSuchFileException e) {
                try {
                    return create();
                } catch (FileAlreadyExistsException raced) {
                    // someone created it between our open and create: open theirs
                }
            }
        }
    }

    /**
     * Fails if the queue's name was removed while it was being opened: its side files may be deleted already
     * (a remover deletes them when no live process holds the queue, and this one attached only now).
     */
    private void checkStillNamed(SharedFile file) throws IOException {
        int at = HeaderLayout.BODY_OFFSET + QueueLayout.INSTANCE;
        if (!Spill.holdsInstance(file.path(), file.memory().getLong(at), at)) {
            throw new NoSuchFileException(file.path().toString(), null, label() + " was removed while opening");
        }
    }

    private void validate(SharedFile file) throws ObjectFileException {
        Path p = file.path();
        long slots = file.param(QueueLayout.P_SLOTS);
        long slot = file.param(QueueLayout.P_SLOT_SIZE);
        long max = file.param(QueueLayout.P_MAX_SIZE);
        long flags = file.param(QueueLayout.P_FLAGS);
        SharedFile.check(slots >= 2 && slots <= QueueLayout.MAX_SLOTS && Long.bitCount(slots) == 1, p,
                "corrupt queue header: slots=" + slots);
        SharedFile.check(slot >= QueueLayout.MIN_SLOT_SIZE && slot <= QueueLayout.MAX_SLOT_SIZE
                && Long.bitCount(slot) == 1, p, "corrupt queue header: slotSize=" + slot);
        SharedFile.check(max >= 0 && max < QueueLayout.MAX_SLOTS, p, "corrupt queue header: maxSize=" + max);
        SharedFile.check(flags == (joinable ? QueueLayout.FLAG_JOINABLE : 0), p, "corrupt queue header: flags=" + flags);
        SharedFile.check(file.memory().size() == QueueLayout.fileSize(slots, slot), p,
                "corrupt queue header: size does not match slots=" + slots + ", slotSize=" + slot);
        if (capacity != null) {
            SharedFile.check(capacity == slots * slot, p, "capacity mismatch: requested=" + capacity + ", file="
                    + slots * slot);
        }
        if (slotSize != null) {
            SharedFile.check(slotSize == slot, p, "slot size mismatch: requested=" + slotSize + ", file=" + slot);
        }
        if (maxSize != null) {
            SharedFile.check(maxSize == max, p, "maxSize mismatch: requested=" + maxSize + ", file=" + max);
        }
    }
}
