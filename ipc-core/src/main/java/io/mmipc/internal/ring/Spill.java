package io.mmipc.internal.ring;

import io.mmipc.ObjectFileException;
import io.mmipc.internal.file.Directories;
import io.mmipc.internal.file.HeaderLayout;
import io.mmipc.internal.file.ObjectType;
import io.mmipc.internal.log.Log;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.proc.ProcessIdentity;
import io.mmipc.internal.proc.RandomIds;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.LinkOption;

/**
 * Side files for messages larger than a ring record may be: the producer writes the payload to an
 * owner-only file next to the object's file, then puts a small record naming it; the consumer reads the
 * file whole (so it never sees partial data), moves the head, then deletes the file. Order and exactly-once
 * delivery come from the ring, as for any record.
 *
 * <p>Side files belong to one object <em>instance</em>: their names carry the random instance id written
 * into the ring when the object was created ({@code <file>.spill-<instance>-<sequence>}), so an object
 * created again under the same name never reuses, nor deletes, the files of an older instance that
 * processes still have open. They live as long as the instance: removing the object's name (unlink,
 * {@code SharedObjects.remove}) deletes them only when no live process has the instance open; otherwise
 * the last handle to detach deletes them ({@link #releaseIfUnlinked}). Files orphaned by a process killed
 * between steps go the same way.
 */
public final class Spill {
    private final Path objectFile;
    private final MappedMemory memory;
    private final int sequenceOffset;
    private final String prefix;

    /**
     * @param objectFile the file holding the ring
     * @param ring       the ring (its spill sequence counter and instance id name the files)
     */
    public Spill(Path objectFile, Ring ring) {
        this.objectFile = objectFile;
        this.memory = ring.memory();
        this.sequenceOffset = ring.base() + QueueLayout.SPILL_SEQ;
        this.prefix = prefix(objectFile, memory.getLong(ring.base() + QueueLayout.INSTANCE));
    }

    private static String prefix(Path objectFile, long instance) {
        return objectFile.getFileName() + ".spill-" + hex16(instance) + "-";
    }

    /** @return {@code value} as 16 lowercase hex digits (not {@code String.format}: see {@link Directories#safeName}) */
    private static String hex16(long value) {
        String hex = Long.toHexString(value);
        return "0".repeat(16 - hex.length()) + hex;
    }

    private Path file(long id) {
        return objectFile.resolveSibling(prefix + id);
    }

    /** @return a new random instance id for a ring being created (never 0) */
    public static long newInstance() {
        return RandomIds.nextNonZero();
    }

    /**
     * Writes a payload to a new side file. Plain file streams, not a {@code FileChannel}: a channel closes
     * itself when its thread is interrupted, and an interrupt must not fail a put that would not block.
     *
     * @param payload the bytes, position to limit (consumed)
     * @return the side file's id
     * @throws UncheckedIOException if the file cannot be written (the file is removed again)
     */
    public long write(ByteBuffer payload) {
        long id = memory.getAndAddLong(sequenceOffset, 1);
        Path f = file(id);
        try {
            Files.createFile(f, Directories.OWNER_ONLY_FILE);
            try (RandomAccessFile out = new RandomAccessFile(f.toFile(), "rw")) {
                if (payload.hasArray()) {
                    out.write(payload.array(), payload.arrayOffset() + payload.position(), payload.remaining());
                    payload.position(payload.limit());
                } else {
                    byte[] chunk = new byte[Math.min(payload.remaining(), 1 << 16)];
                    while (payload.hasRemaining()) {
                        int n = Math.min(chunk.length, payload.remaining());
                        payload.get(chunk, 0, n);
                        out.write(chunk, 0, n);
                    }
                }
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException notRemoved) {
                Log.QUEUE.log(Level.WARNING, "cannot remove spill file " + f + " after a failed write: it stays "
                        + "until the object is removed", notRemoved);
            }
            throw new UncheckedIOException("cannot write spill file " + f + " (is " + f.getParent() + " full?)", e);
        }
        RingEvents.sideFileWritten(memory);
        return id;
    }

    /**
     * Reads a side file whole. Not interruptible (see {@link #write}), so a pending interrupt cannot destroy
     * the message being read.
     *
     * @param id     the side file's id
     * @param length the payload length its record gives
     * @return the payload
     * @throws Ring.Undeliverable   if the file is missing or its size is not {@code length}: the message can
     *                              never be read (the cause names the file)
     * @throws UncheckedIOException if the file cannot be read now (too many open files, an I/O error): the
     *                              message stays queued
     */
    public ByteBuffer read(long id, int length) {
        Path f = file(id);
        try (RandomAccessFile in = new RandomAccessFile(f.toFile(), "r")) {
            long size = in.length();
            if (size != length) {
                throw new Ring.Undeliverable(new UncheckedIOException(new ObjectFileException(f,
                        "corrupt spill file: size=" + size + ", record length=" + length)));
            }
            byte[] bytes = new byte[length];
            in.readFully(bytes);
            return ByteBuffer.wrap(bytes);
        } catch (FileNotFoundException e) {
            if (Files.notExists(f, LinkOption.NOFOLLOW_LINKS) && Files.isDirectory(f.getParent())) {
                throw new Ring.Undeliverable(new UncheckedIOException(new ObjectFileException(f,
                        "spill file missing: id=" + id + ", record length=" + length)));
            }
            throw new UncheckedIOException("cannot read spill file " + f + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read spill file " + f + ": " + e.getMessage(), e);
        }
    }

    /** Deletes a side file after its record was taken. */
    public void delete(long id) {
        try {
            Files.deleteIfExists(file(id));
        } catch (IOException e) {
            Log.QUEUE.log(Level.WARNING, "cannot remove spill file " + file(id) + " of a taken message: it stays "
                    + "until the object is removed", e);
        }
    }

    /**
     * Deletes the side files of instance {@code instance} if the object's name no longer leads to it (it was
     * unlinked, or another instance was created under the name): called when the last live handle on the
     * instance detaches, by the handler that releases its registry entry.
     *
     * @param objectFile     the object's file, by name
     * @param instance       the instance id
     * @param instanceOffset where the object's file keeps its instance id
     */
    public static void releaseIfUnlinked(Path objectFile, long instance, int instanceOffset) {
        if (objectFile == null) {
            return;
        }
        try {
            if (!holdsInstance(objectFile, instance, instanceOffset)) {
                deleteInstance(objectFile, instance);
            }
        } catch (IOException e) {
            // Best effort: SharedObjects.remove of the name, or a later detach, tries again.
            Log.QUEUE.log(Level.DEBUG, "cannot remove the side files of " + objectFile + " yet", e);
        }
    }

    /**
     * @param objectFile     the object's file, by name
     * @param instance       an instance id
     * @param instanceOffset where the object's file keeps its instance id
     * @return whether the name leads to that instance now (false if it was removed, or created again)
     * @throws IOException if the file cannot be read
     */
    public static boolean holdsInstance(Path objectFile, long instance, int instanceOffset) throws IOException {
        try (RandomAccessFile in = new RandomAccessFile(objectFile.toFile(), "r")) {
            if (in.length() < instanceOffset + 8L) {
                return false;
            }
            byte[] word = new byte[8];
            in.seek(instanceOffset);
            in.readFully(word);
            return ByteBuffer.wrap(word).order(ByteOrder.nativeOrder()).getLong() == instance;
        } catch (FileNotFoundException gone) {
            return false;
        }
    }

    /**
     * For {@code SharedObjects.remove}: unlinks an object's name and deletes the side files of the instance it
     * named, unless a live process still has that instance open (then the last one to detach deletes them).
     * Objects without side files are simply unlinked.
     *
     * @param objectFile the object's file
     * @return whether the name existed
     * @throws IOException if the name cannot be removed
     */
    public static boolean unlinkObject(Path objectFile) throws IOException {
        RandomAccessFile in;
        try {
            in = new RandomAccessFile(objectFile.toFile(), "r");
        } catch (FileNotFoundException gone) {
            return Files.deleteIfExists(objectFile);
        }
        try (RandomAccessFile held = in) {
            // Read after the unlink, through the file opened before it: a process that attaches later sees
            // the name gone and gives up (see the builders' open), so "no live holder" stays true.
            boolean existed = Files.deleteIfExists(objectFile);
            byte[] bytes = new byte[HeaderLayout.BODY_OFFSET + 1024];
            int n = 0;
            for (int r; n < bytes.length && (r = held.read(bytes, n, bytes.length - n)) > 0; ) {
                n += r;
            }
            ByteBuffer head = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
            if (n < HeaderLayout.BODY_OFFSET || head.getLong(HeaderLayout.MAGIC_OFFSET) != HeaderLayout.MAGIC) {
                return existed;
            }
            int ring0 = firstRingBase(head.getInt(HeaderLayout.TYPE_OFFSET));
            Path nodes = Directories.nodesDirectory(objectFile.toAbsolutePath().getParent());
            if (ring0 < 0 || n < ring0 + QueueLayout.INSTANCE + 8 || anyLiveHolder(head, nodes)) {
                return existed;
            }
            deleteInstance(objectFile, head.getLong(ring0 + QueueLayout.INSTANCE));
            return existed;
        }
    }

    /** @return where the first ring of an object of this type code starts, or -1 if it has no side files */
    static int firstRingBase(int typeCode) {
        if (typeCode == ObjectType.QUEUE.code() || typeCode == ObjectType.JOINABLE_QUEUE.code()) {
            return HeaderLayout.BODY_OFFSET;
        }
        return typeCode == ObjectType.PIPE.code() ? QueueLayout.PIPE_RING_0 : -1;
    }

    private static boolean anyLiveHolder(ByteBuffer head, Path nodesDir) {
        for (int i = 0; i < HeaderLayout.REGISTRY_ENTRIES; i++) {
            long token = head.getLong(HeaderLayout.entryOffset(i) + HeaderLayout.ENTRY_TOKEN) & ~(1L << 63);
            if (token != 0 && ProcessIdentity.isAlive(token, nodesDir)) {
                return true;
            }
        }
        return false;
    }

    /** Deletes every side file of one instance of an object. */
    static void deleteInstance(Path objectFile, long instance) throws IOException {
        Path dir = objectFile.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, prefix(objectFile, instance) + "*")) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
        }
    }
}
