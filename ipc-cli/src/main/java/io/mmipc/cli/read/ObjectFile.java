package io.mmipc.cli.read;

import io.mmipc.internal.file.Directories;
import io.mmipc.internal.proc.ProcessIdentity;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * A read-only view of one object file through positional {@link FileChannel} reads: no mapping, no write,
 * no lock, so the processes using the object never notice it is being looked at.
 *
 * <p>Pages are read once and cached, so one view is one snapshot of the words it was asked for (taken page
 * by page, not atomically as a whole: fields of a busy object may be a few operations apart). Reads past
 * the end of the file throw {@link ShortFileException}, which describers let through to the inspector to
 * be reported as a problem.
 */
public final class ObjectFile implements AutoCloseable {
    private static final int PAGE = 4096;

    private final Path path;
    private final FileChannel channel;
    private final long size;
    private final Map<Long, ByteBuffer> pages = new HashMap<>();

    private ObjectFile(Path path, FileChannel channel, long size) {
        this.path = path;
        this.channel = channel;
        this.size = size;
    }

    /**
     * Opens a file for reading.
     *
     * @param path the file
     * @return the view; close it
     * @throws IOException if the file cannot be opened
     */
    public static ObjectFile open(Path path) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return new ObjectFile(path, ch, ch.size());
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** @return the file */
    public Path path() {
        return path;
    }

    /**
     * Tells whether the process a token names is alive, by its node file in this object's folder (the
     * command registers nowhere, so it asks the folder the object lives in; see {@code ProcessIdentity}).
     *
     * @param token a process token; 0 is never alive
     * @return false only if that process is known to be gone
     */
    public boolean isAlive(long token) {
        Path folder = path.toAbsolutePath().getParent();
        return folder == null ? token != 0 : ProcessIdentity.isAlive(token, Directories.nodesDirectory(folder));
    }

    /** @return the size of the file when it was opened */
    public long size() {
        return size;
    }

    /**
     * @param offset where the bytes start
     * @param length how many bytes
     * @return whether the file holds those bytes
     */
    public boolean has(long offset, int length) {
        return offset >= 0 && length >= 0 && offset + length <= size;
    }

    /**
     * @param offset a byte offset
     * @return the byte there
     * @throws ShortFileException if the file ends before it
     */
    public byte getByte(long offset) {
        check(offset, 1);
        return page(offset).get((int) (offset % PAGE));
    }

    /**
     * @param offset a 4-aligned byte offset
     * @return the native-order int there
     * @throws ShortFileException if the file ends before it
     */
    public int getInt(long offset) {
        check(offset, 4);
        return page(offset).getInt((int) (offset % PAGE));
    }

    /**
     * @param offset an 8-aligned byte offset
     * @return the native-order long there
     * @throws ShortFileException if the file ends before it
     */
    public long getLong(long offset) {
        check(offset, 8);
        return page(offset).getLong((int) (offset % PAGE));
    }

    private void check(long offset, int length) {
        if (!has(offset, length)) {
            throw new ShortFileException(offset, length, size);
        }
        if (offset % length != 0) {
            throw new IllegalArgumentException("unaligned read: offset=" + offset + ", length=" + length);
        }
    }

    private ByteBuffer page(long offset) {
        long index = offset / PAGE;
        ByteBuffer page = pages.get(index);
        if (page == null) {
            page = ByteBuffer.allocate(PAGE).order(ByteOrder.nativeOrder());
            long start = index * PAGE;
            try {
                while (page.hasRemaining() && channel.read(page, start + page.position()) > 0) {
                    // keep reading: a short read is followed by another until the page or the file ends
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot read " + path + " at offset=" + start, e);
            }
            pages.put(index, page);
        }
        return page;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
