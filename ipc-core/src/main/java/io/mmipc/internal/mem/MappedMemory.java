package io.mmipc.internal.mem;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

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

    private MappedMemory(ByteBuffer buffer, long size) {
        this.buffer = buffer;
        this.size = size;
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
        if (size > Integer.MAX_VALUE) {
            throw new IOException("mapping too large for JDK 17 (use JDK 22+): size=" + size
                    + ", max=" + Integer.MAX_VALUE);
        }
        MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
        mapped.order(ByteOrder.nativeOrder());
        return new MappedMemory(mapped, size);
    }

    /** Tells which implementation is loaded, for diagnostics and tests. */
    public static String implementation() {
        return "MappedByteBuffer";
    }

    /** @return the number of mapped bytes */
    public long size() {
        return size;
    }

    private static int i(long offset) {
        return (int) offset;
    }

    /** Plain read of an int. */
    public int getInt(long offset) {
        return (int) INT.get(buffer, i(offset));
    }

    /** Plain write of an int. */
    public void putInt(long offset, int value) {
        INT.set(buffer, i(offset), value);
    }

    /** Acquire read of an int: later reads see what the matching release published. */
    public int getIntAcquire(long offset) {
        return (int) INT.getAcquire(buffer, i(offset));
    }

    /** Volatile read of an int. */
    public int getIntVolatile(long offset) {
        return (int) INT.getVolatile(buffer, i(offset));
    }

    /** Release write of an int: earlier writes are visible to whoever acquires this value. */
    public void putIntRelease(long offset, int value) {
        INT.setRelease(buffer, i(offset), value);
    }

    /** Volatile write of an int. */
    public void putIntVolatile(long offset, int value) {
        INT.setVolatile(buffer, i(offset), value);
    }

    /** Atomic compare-and-set of an int (volatile semantics). */
    public boolean compareAndSetInt(long offset, int expected, int value) {
        return INT.compareAndSet(buffer, i(offset), expected, value);
    }

    /** Atomic add of an int (volatile semantics); returns the previous value. */
    public int getAndAddInt(long offset, int delta) {
        return (int) INT.getAndAdd(buffer, i(offset), delta);
    }

    /** Plain read of a long. */
    public long getLong(long offset) {
        return (long) LONG.get(buffer, i(offset));
    }

    /** Plain write of a long. */
    public void putLong(long offset, long value) {
        LONG.set(buffer, i(offset), value);
    }

    /** Acquire read of a long. */
    public long getLongAcquire(long offset) {
        return (long) LONG.getAcquire(buffer, i(offset));
    }

    /** Volatile read of a long. */
    public long getLongVolatile(long offset) {
        return (long) LONG.getVolatile(buffer, i(offset));
    }

    /** Release write of a long. */
    public void putLongRelease(long offset, long value) {
        LONG.setRelease(buffer, i(offset), value);
    }

    /** Volatile write of a long (a full fence after the store). */
    public void putLongVolatile(long offset, long value) {
        LONG.setVolatile(buffer, i(offset), value);
    }

    /** Atomic compare-and-set of a long (volatile semantics). */
    public boolean compareAndSetLong(long offset, long expected, long value) {
        return LONG.compareAndSet(buffer, i(offset), expected, value);
    }

    /** Atomic add of a long (volatile semantics); returns the previous value. */
    public long getAndAddLong(long offset, long delta) {
        return (long) LONG.getAndAdd(buffer, i(offset), delta);
    }

    /** Copies bytes from memory into an array. */
    public void getBytes(long offset, byte[] dst, int dstOffset, int length) {
        buffer.get(i(offset), dst, dstOffset, length);
    }

    /** Copies bytes from an array into memory. */
    public void putBytes(long offset, byte[] src, int srcOffset, int length) {
        buffer.put(i(offset), src, srcOffset, length);
    }

    /** Copies {@code length} bytes from memory into {@code dst} at its position, advancing it. */
    public void getBytes(long offset, ByteBuffer dst, int length) {
        dst.put(buffer.slice(i(offset), length));
    }

    /** Copies the remaining bytes of {@code src} into memory, advancing its position. */
    public void putBytes(long offset, ByteBuffer src) {
        int length = src.remaining();
        buffer.slice(i(offset), length).put(src);
    }

    /** Sets {@code length} bytes to zero. */
    public void zero(long offset, long length) {
        int at = i(offset);
        int end = at + (int) length;
        while (at < end && (at & 7) != 0) {
            buffer.put(at++, (byte) 0);
        }
        for (; at + 8 <= end; at += 8) {
            LONG.set(buffer, at, 0L);
        }
        while (at < end) {
            buffer.put(at++, (byte) 0);
        }
    }

    /**
     * A view of a region as a {@link ByteBuffer} (big-endian like any new buffer, position 0, limit
     * {@code length}). The view shares memory with the mapping; it must not be used after the owner is closed.
     */
    public ByteBuffer view(long offset, int length) {
        return buffer.slice(i(offset), length).order(ByteOrder.BIG_ENDIAN);
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
