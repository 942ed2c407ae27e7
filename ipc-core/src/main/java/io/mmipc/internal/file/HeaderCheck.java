package io.mmipc.internal.file;

import io.mmipc.ObjectFileException;
import io.mmipc.internal.mem.MappedMemory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** Reads and validates the fixed part of a header (see {@link HeaderLayout}) before anything is mapped. */
final class HeaderCheck {
    private HeaderCheck() {
    }

    /** @return the first {@link HeaderLayout#HEADER_BYTES} of the file (zeros past its end), native order */
    static ByteBuffer read(FileChannel ch) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(HeaderLayout.HEADER_BYTES).order(ByteOrder.nativeOrder());
        while (head.hasRemaining() && ch.read(head, head.position()) > 0) {
            // keep reading
        }
        return head.clear();
    }

    /**
     * Checks size, magic, type, version and recorded size.
     *
     * @throws ObjectFileException naming the file and the first problem found
     */
    static void check(Path path, ByteBuffer head, long actual, ObjectType type, int version)
            throws ObjectFileException {
        if (actual < HeaderLayout.BODY_OFFSET) {
            throw new ObjectFileException(path, "not an mmipc " + type.label()
                    + ": file too short for a header: size=" + actual);
        }
        long magic = head.getLong(HeaderLayout.MAGIC_OFFSET);
        if (magic == HeaderLayout.MAGIC_V1) {
            throw new ObjectFileException(path, "written by an older mmipc (header v1, process identities by PID and"
                    + " start time): remove it and create it again");
        }
        if (magic != HeaderLayout.MAGIC) {
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
    }

    /**
     * Checks every waiter slot's event offset (a corrupt one would send waits and wake-ups elsewhere in the
     * file, or outside it).
     *
     * @throws ObjectFileException naming the slot and the value
     */
    static void checkWaiters(Path path, MappedMemory memory) throws ObjectFileException {
        for (int i = 0; i < HeaderLayout.WAITER_SLOTS; i++) {
            int event = memory.getIntVolatile(HeaderLayout.waiterSlotOffset(i) + HeaderLayout.WAITER_EVENT);
            if (!HeaderLayout.isValidWaiterEvent(event, memory.size())) {
                throw new ObjectFileException(path, "corrupt waiter slot: slot=" + i + ", event=" + event
                        + ", size=" + memory.size());
            }
        }
    }
}
