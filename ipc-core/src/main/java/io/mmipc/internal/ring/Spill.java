package io.mmipc.internal.ring;

import io.mmipc.internal.file.Directories;
import io.mmipc.internal.mem.MappedMemory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Side files for messages larger than a ring record may be: the producer writes the payload to an
 * owner-only file next to the queue, then puts a small record naming it; the consumer reads the file
 * whole (so it never sees partial data), moves the head, then deletes the file. Order and exactly-once
 * delivery come from the ring, as for any record. A file orphaned by a process killed between steps is
 * removed with the queue.
 */
public final class Spill {
    private final Path queueFile;
    private final MappedMemory memory;
    private final int sequenceOffset;

    /**
     * @param queueFile the file holding the ring
     * @param ring      the ring (its spill sequence counter names the files)
     */
    public Spill(Path queueFile, Ring ring) {
        this.queueFile = queueFile;
        this.memory = ring.memory();
        this.sequenceOffset = ring.base() + QueueLayout.SPILL_SEQ;
    }

    private Path file(long id) {
        return queueFile.resolveSibling(queueFile.getFileName() + ".spill-" + id);
    }

    /** Writes a payload to a new side file; returns its id. */
    public long write(ByteBuffer payload) {
        long id = memory.getAndAddLong(sequenceOffset, 1);
        Path f = file(id);
        try (FileChannel ch = FileChannel.open(f, java.util.Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), Directories.OWNER_ONLY_FILE)) {
            while (payload.hasRemaining()) {
                ch.write(payload);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException ignored) {
                // best effort
            }
            throw new UncheckedIOException("cannot write spill file " + f + " (is " + f.getParent() + " full?)", e);
        }
        return id;
    }

    /** Reads a side file whole. */
    public ByteBuffer read(long id, int length) {
        Path f = file(id);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            if (ch.size() != length) {
                throw new IOException("spill file has " + ch.size() + " bytes, record says " + length);
            }
            ByteBuffer out = ByteBuffer.allocate(length);
            while (out.hasRemaining() && ch.read(out) >= 0) {
                // keep reading
            }
            return out.flip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read spill file " + f, e);
        }
    }

    /** Deletes a side file after its record was taken. */
    public void delete(long id) {
        try {
            Files.deleteIfExists(file(id));
        } catch (IOException ignored) {
            // removed with the queue
        }
    }

    /** Deletes every side file of a queue. */
    public static void deleteAll(Path queueFile) throws IOException {
        Path dir = queueFile.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, queueFile.getFileName() + ".spill-*")) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
        }
    }
}
