package io.mmipc.internal.mem;

import io.mmipc.ObjectFileException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A file mapped into memory, with the memory-order operations every shared structure needs.
 *
 * <p>This is the JDK 17 implementation: a {@link MappedByteBuffer} accessed through
 * {@link MethodHandles#byteBufferViewVarHandle} (public API, no JVM flags). A mapping is at most 2 GiB and
 * is released by the garbage collector after {@link #close()}, because unmapping memory another thread may
 * still touch would crash the JVM. The JDK 22+ overlay ({@code META-INF/versions/22}) replaces this class
 * with one of identical API over a {@code MemorySegment} that is unmapped explicitly.
 *
 * <p>Offsets are byte offsets from the start of the file. Words accessed with the atomic methods must be
 * naturally aligned. See {@code io.mmipc.internal.mem} for the memory-order vocabulary.
 */
public final class MappedMemory implements AutoCloseable {
    private static final VarHandle INT =
            MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle LONG =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final ByteBuffer buffer;
    private final long size;
    private final String name;

    private MappedMemory(ByteBuffer buffer, long size, String name) {
        this.buffer = buffer;
        this.size = size;
        this.name = name;
    }

    /**
     * Maps {@code size} bytes of an open file read-write.
     *
     * @param channel the file, opened for reading and writing; it may be closed once this returns
     * @param size    the number of bytes to map, from offset 0
     * @return the mapping
     * @throws IOException if the mapping fails or {@code size} exceeds what this JDK can map in one piece
     */
    public static MappedMemory map(FileChannel channel, long size) throws IOException {
        return map(channel, size, "mapped file");
    }

    /**
     * Maps {@code size} bytes of an open file read-write, naming it in errors.
     *
     * @param channel the file, opened for reading and writing; it may be closed once this returns
     * @param size    the number of bytes to map, from offset 0
     * @param name    the file's path, for error messages
     * @return the mapping
     * @throws IOException if the mapping fails or {@code size} exceeds what this JDK can map in one piece
     */
    public static MappedMemory map(FileChannel channel, long size, String name) throws IOException {
        if (size > Integer.MAX_VALUE) {
            throw new IOException("mapping too large for JDK 17 (use JDK 22+): size=" + size
                    + ", max=" + Integer.MAX_VALUE);
        }
        MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
        mapped.order(ByteOrder.nativeOrder());
        return new MappedMemory(mapped, size, name);
    }


    /** Tells which implementation is loaded, for diagnostics and tests. */
    public static String implementation() {
        return "MappedByteBuffer";
    }

    /** @return the number of mapped bytes */
    public long size() {
        return size;
    }

    /**
     * Turns the JDK's report of a fault in mapped memory (SIGBUS: the file was truncated under the mapping,
     * or its storage failed) into an error naming the file.
     */
    private UncheckedIOException faulted(InternalError e) {
        return new UncheckedIOException(new ObjectFileException(Path.of(name), "access to the mapped file faulted"
                + " (truncated while open?): mapped=" + size + ", cause=" + e.getMessage()));
    }

    /** Narrows an offset for the buffer; one that does not fit is refused, never wrapped into the file. */
    private int i(long offset) {
        int narrow = (int) offset;
        if (narrow != offset) {
            throw new IndexOutOfBoundsException("offset outside the mapping: offset=" + offset + ", size=" + size);
        }
        return narrow;
    }

    /** Plain read of an int. */
    public int getInt(long offset) {
        try {
            return (int) INT.get(buffer, i(offset));
        } catch (InternalError e) {
            throw faulted(e);
        }
    }

    /** Plain write of an int. */
    public void putInt(long offset, int value) {
        try {
            INT.set(buffer, i(offset), value);
        } catch (InternalError e) {
            throw faulted(e);
        }
    }

    /** Acquire read of an int: later reads see what the matching release published. */
    public int getIntAcquire(long offset) {
        try {
            return (int) INT.getAcquire(buffer, i(offset));
        } catch (InternalError e) {
            throw faulted(e);
        }
    }

    /** Volatile read of an int. */
    public int getIntVolatile(long offset) {
        try {
            return (int) INT.getVolatile(buffer, i(offset));
        } catch (InternalError e) {
            throw faulted(e);
        }
    }

    /** Release write of an int: earlier writes are visible to whoever acquires this value. */
    public void putIntRelease(long offset, int value) {
        try {
            INT.setRelease(buffer, i(offset), value);
        } catch (InternalError e) {
            throw faulted(e);
        }
    }

    /** Volatile write of an int. */
    public void putIntVolatile(long offset, int value) {
        try {
            INT.setVolatile(buffer, i(offset), value);
        } catch (InternalError e) {
            throw faulted(e);
        }
    }

    /** Atomic compare-and-set of an int (volatile semantics). */
    public boolean compareAndSetInt(long offset, int expected, int value) {
        try {
            return INT.compareAndSet(buffer, i(offset), expected, value);
        } catch (InternalError e) {
            throw faulted(e);
        }
    }

    /** Atomic add of an int (volatile semantics); returns the previous value. */
    public int getAndAddInt(long offset, int delta) {
        try {
            return (int) INT.getAndAdd(buffer, i(offset), delta);
        } catch (InternalError e) {
            throw faulted(e);
        }
    }

    /** Plain read of a long. */
    public long getLong(long offset) {
        try {
            return (long) LONG.get(buffer, i(offset));
        } catch (InternalError e) {
            throw faulted(e);
        }
    }

    /** Plain write of a long. */
    public void putLong(long offset, long value) {
        try {
            LONG.set(buffer, i(offset), value);
        } catch (InternalError e) {
            throw faulted(e);
        }
    }

    /** Acquire read of a long. */
    public long getLongAcquire(long offset) {
        try {
            return (long) LONG.getAcquire(buffer, i(offset));
        } catch (InternalError e) {
            throw faulted(e);
        }
    }

    /** Volatile read of a long. */
    public long getLongVolatile(long offset) {
        try {
            return (long) LONG.getVolatile(buffer, i(offset));
        } catch (InternalError e) {
            throw faulted(e);
        }
    }

    /** Release write of a long. */
    public void putLongRelease(long offset, long value) {
        try {
            LONG.setRelease(buffer, i(offset), value);
        } catch (InternalError e) {
            throw faulted(e);
        }
    }

    /** Volatile write of a long (a full fence after the store). */
    public void putLongVolatile(long offset, long value) {
        try {
            LONG.setVolatile(buffer, i(offset), value);
        } catch (InternalError e) {
            throw faulted(e);
        }
    }

    /** Atomic compare-and-set of a long (volatile semantics). */
    public boolean compareAndSetLong(long offset, long expected, long value) {
        try {
            return LONG.compareAndSet(buffer, i(offset), expected, value);
        } catch (InternalError e) {
            throw faulted(e);
        }
    }

    /** Atomic add of a long (volatile semantics); returns the previous value. */
    public long getAndAddLong(long offset, long delta) {
        try {
            return (long) LONG.getAndAdd(buffer, i(offset), delta);
        } catch (InternalError e) {
            throw faulted(e);
        }
    }

    /** Copies bytes from memory into an array. */
    public void getBytes(long offset, byte[] dst, int dstOffset, int length) {
        try {
            buffer.get(i(offset), dst, dstOffset, length);
        } catch (InternalError e) {
            throw faulted(e);
        }
    }

    /** Copies bytes from an array into memory. */
    public void putBytes(long offset, byte[] src, int srcOffset, int length) {
        try {
            buffer.put(i(offset), src, srcOffset, length);
        } catch (InternalError e) {
            throw faulted(e);
        }
    }

    /** Copies {@code length} bytes from memory into {@code dst} at its position, advancing it. */
    public void getBytes(long offset, ByteBuffer dst, int length) {
        try {
            dst.put(buffer.slice(i(offset), length));
        } catch (InternalError e) {
            throw faulted(e);
        }
    }

    /** Copies the remaining bytes of {@code src} into memory, advancing its position. */
    public void putBytes(long offset, ByteBuffer src) {
        int length = src.remaining();
        try {
            // The absolute bulk put (JDK 16+): no slice of the mapping per message.
            buffer.put(i(offset), src, src.position(), length);
        } catch (InternalError e) {
            throw faulted(e);
        }
        src.position(src.limit());
    }

    /** Sets {@code length} bytes to zero. */
    public void zero(long offset, long length) {
        try {
            int at = i(offset);
            int end = i(offset + length);
            while (at < end && (at & 7) != 0) {
                buffer.put(at++, (byte) 0);
            }
            for (; at + 8 <= end; at += 8) {
                LONG.set(buffer, at, 0L);
            }
            while (at < end) {
                buffer.put(at++, (byte) 0);
            }
        } catch (InternalError e) {
            throw faulted(e);
        }
    }

    /**
     * A view of a region as a {@link ByteBuffer} (big-endian like any new buffer, position 0, limit
     * {@code length}). The view shares memory with the mapping; it must not be used after the owner is closed.
     */
    public ByteBuffer view(long offset, int length) {
        try {
            return buffer.slice(i(offset), length).order(ByteOrder.BIG_ENDIAN);
        } catch (InternalError e) {
            throw faulted(e);
        }
    }

    /** Whether futex waiting on this memory is possible (never in the JDK 17 implementation). */
    public boolean supportsFutex() {
        return false;
    }

    /** Address of a word for a futex call; unsupported in the JDK 17 implementation. */
    public long address(long offset) {
        throw new UnsupportedOperationException("no native addresses on JDK 17");
    }

    /** Forces a full memory fence. */
    public static void fullFence() {
        VarHandle.fullFence();
    }

    /**
     * Detaches from the mapping. On JDK 17 the pages are released when the buffer is garbage collected;
     * explicit unmapping could crash a thread still reading it.
     */
    @Override
    public void close() {
        // Nothing to do: the MappedByteBuffer is unmapped by the GC once unreachable.
    }
}
