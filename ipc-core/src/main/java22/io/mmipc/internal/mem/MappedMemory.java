package io.mmipc.internal.mem;

import io.mmipc.ObjectFileException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A file mapped into memory, with the memory-order operations every shared structure needs.
 *
 * <p>This is the JDK 22+ implementation ({@code META-INF/versions/22}): a {@link MemorySegment} from
 * {@link FileChannel#map(FileChannel.MapMode, long, long, Arena)} in a shared {@link Arena}, accessed through
 * {@link ValueLayout} var handles (public API, no JVM flags, no restricted methods). There is no 2 GiB cap,
 * and {@link #close()} unmaps at once: the JDK guarantees that any later access, from any thread, throws
 * {@link IllegalStateException} instead of touching unmapped memory.
 *
 * <p>Offsets are byte offsets from the start of the file. Plain int and long accesses may be unaligned;
 * words accessed with ordered or atomic methods must be naturally aligned (the mapping itself is
 * page-aligned, so an aligned offset is an aligned address). See {@code io.mmipc.internal.mem} for the
 * memory-order vocabulary.
 */
public final class MappedMemory implements AutoCloseable {
    private static final ValueLayout.OfInt INT_LAYOUT = ValueLayout.JAVA_INT.withOrder(ByteOrder.nativeOrder());
    private static final ValueLayout.OfLong LONG_LAYOUT = ValueLayout.JAVA_LONG.withOrder(ByteOrder.nativeOrder());
    private static final ValueLayout.OfInt INT_UNALIGNED =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.nativeOrder());
    private static final ValueLayout.OfLong LONG_UNALIGNED =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.nativeOrder());
    /** Coordinates (MemorySegment, long offset); aligned, for ordered and atomic access. */
    private static final VarHandle INT = INT_LAYOUT.varHandle();
    private static final VarHandle LONG = LONG_LAYOUT.varHandle();
    private static final boolean LINUX =
            System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");

    private final Arena arena;
    private final MemorySegment segment;
    private final long size;
    private final String name;
    private final AtomicBoolean closed = new AtomicBoolean();

    private MappedMemory(Arena arena, MemorySegment segment, long size, String name) {
        this.arena = arena;
        this.segment = segment;
        this.size = size;
        this.name = name;
    }

    /**
     * Maps {@code size} bytes of an open file read-write.
     *
     * @param channel the file, opened for reading and writing; it may be closed once this returns
     * @param size    the number of bytes to map, from offset 0
     * @return the mapping
     * @throws IOException if the mapping fails
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
     * @throws IOException if the mapping fails
     */
    public static MappedMemory map(FileChannel channel, long size, String name) throws IOException {
        Arena arena = Arena.ofShared();
        try {
            MemorySegment segment = channel.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
            return new MappedMemory(arena, segment, size, name);
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }


    /** Tells which implementation is loaded, for diagnostics and tests. */
    public static String implementation() {
        return "MemorySegment";
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

    /** Turns the JDK's "already closed" into an error that says what was closed. */
    private IllegalStateException closedError(IllegalStateException cause) {
        return new IllegalStateException("mapped memory is closed (unmapped): size=" + size, cause);
    }

    private void ensureOpen() {
        if (!arena.scope().isAlive()) {
            throw closedError(new IllegalStateException("Already closed"));
        }
    }

    /** Plain read of an int. */
    public int getInt(long offset) {
        try {
            return segment.get(INT_UNALIGNED, offset);
        } catch (IllegalStateException e) {
            throw closedError(e);
        } catch (InternalError e) {
            throw faulted(e);
        }
    }

    /** Plain write of an int. */
    public void putInt(long offset, int value) {
        try {
            segment.set(INT_UNALIGNED, offset, value);
        } catch (IllegalStateException e) {
            throw closedError(e);
        } catch (InternalError e) {
            throw faulted(e);
        }
    }

    /** Acquire read of an int: later reads see what the matching release published. */
    public int getIntAcquire(long offset) {
        try {
            return (int) INT.getAcquire(segment, offset);
        } catch (IllegalStateException e) {
            throw closedError(e);
        } catch (InternalError e) {
            throw faulted(e);
        }
    }

    /** Volatile read of an int. */
    public int getIntVolatile(long offset) {
        try {
            return (int) INT.getVolatile(segment, offset);
        } catch (IllegalStateException e) {
            throw closedError(e);
        } catch (InternalError e) {
            throw faulted(e);
        }
    }

    /** Release write of an int: earlier writes are visible to whoever acquires this value. */
    public void putIntRelease(long offset, int value) {
        try {
            INT.setRelease(segment, offset, value);
        } catch (IllegalStateException e) {
            throw closedError(e);
        } catch (InternalError e) {
            throw faulted(e);
        }
    }

    /** Volatile write of an int. */
    public void putIntVolatile(long offset, int value) {
        try {
            INT.setVolatile(segment, offset, value);
        } catch (IllegalStateException e) {
            throw closedError(e);
        } catch (InternalError e) {
            throw faulted(e);
        }
    }

    /** Atomic compare-and-set of an int (volatile semantics). */
    public boolean compareAndSetInt(long offset, int expected, int value) {
        try {
            return INT.compareAndSet(segment, offset, expected, value);
        } catch (IllegalStateException e) {
            throw closedError(e);
        } catch (InternalError e) {
            throw faulted(e);
        }
    }

    /** Atomic add of an int (volatile semantics); returns the previous value. */
    public int getAndAddInt(long offset, int delta) {
        try {
            return (int) INT.getAndAdd(segment, offset, delta);
        } catch (IllegalStateException e) {
            throw closedError(e);
        } catch (InternalError e) {
            throw faulted(e);
        }
    }

    /** Plain read of a long. */
    public long getLong(long offset) {
        try {
            return segment.get(LONG_UNALIGNED, offset);
        } catch (IllegalStateException e) {
            throw closedError(e);
        } catch (InternalError e) {
            throw faulted(e);
        }
    }

    /** Plain write of a long. */
    public void putLong(long offset, long value) {
        try {
            segment.set(LONG_UNALIGNED, offset, value);
        } catch (IllegalStateException e) {
            throw closedError(e);
        } catch (InternalError e) {
            throw faulted(e);
        }
    }

    /** Acquire read of a long. */
    public long getLongAcquire(long offset) {
        try {
            return (long) LONG.getAcquire(segment, offset);
        } catch (IllegalStateException e) {
            throw closedError(e);
        } catch (InternalError e) {
            throw faulted(e);
        }
    }

    /** Volatile read of a long. */
    public long getLongVolatile(long offset) {
        try {
            return (long) LONG.getVolatile(segment, offset);
        } catch (IllegalStateException e) {
            throw closedError(e);
        } catch (InternalError e) {
            throw faulted(e);
        }
    }

    /** Release write of a long. */
    public void putLongRelease(long offset, long value) {
        try {
            LONG.setRelease(segment, offset, value);
        } catch (IllegalStateException e) {
            throw closedError(e);
        } catch (InternalError e) {
            throw faulted(e);
        }
    }

    /** Volatile write of a long (a full fence after the store). */
    public void putLongVolatile(long offset, long value) {
        try {
            LONG.setVolatile(segment, offset, value);
        } catch (IllegalStateException e) {
            throw closedError(e);
        } catch (InternalError e) {
            throw faulted(e);
        }
    }

    /** Atomic compare-and-set of a long (volatile semantics). */
    public boolean compareAndSetLong(long offset, long expected, long value) {
        try {
            return LONG.compareAndSet(segment, offset, expected, value);
        } catch (IllegalStateException e) {
            throw closedError(e);
        } catch (InternalError e) {
            throw faulted(e);
        }
    }

    /** Atomic add of a long (volatile semantics); returns the previous value. */
    public long getAndAddLong(long offset, long delta) {
        try {
            return (long) LONG.getAndAdd(segment, offset, delta);
        } catch (IllegalStateException e) {
            throw closedError(e);
        } catch (InternalError e) {
            throw faulted(e);
        }
    }

    /** Copies bytes from memory into an array. */
    public void getBytes(long offset, byte[] dst, int dstOffset, int length) {
        try {
            MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, dst, dstOffset, length);
        } catch (IllegalStateException e) {
            throw closedError(e);
        } catch (InternalError e) {
            throw faulted(e);
        }
    }

    /** Copies bytes from an array into memory. */
    public void putBytes(long offset, byte[] src, int srcOffset, int length) {
        try {
            MemorySegment.copy(src, srcOffset, segment, ValueLayout.JAVA_BYTE, offset, length);
        } catch (IllegalStateException e) {
            throw closedError(e);
        } catch (InternalError e) {
            throw faulted(e);
        }
    }

    /** Copies {@code length} bytes from memory into {@code dst} at its position, advancing it. */
    public void getBytes(long offset, ByteBuffer dst, int length) {
        if (length > dst.remaining()) {
            throw new BufferOverflowException();
        }
        try {
            MemorySegment.copy(segment, offset, MemorySegment.ofBuffer(dst), 0, length);
        } catch (IllegalStateException e) {
            throw closedError(e);
        } catch (InternalError e) {
            throw faulted(e);
        }
        dst.position(dst.position() + length);
    }

    /** Copies the remaining bytes of {@code src} into memory, advancing its position. */
    public void putBytes(long offset, ByteBuffer src) {
        int length = src.remaining();
        try {
            MemorySegment.copy(MemorySegment.ofBuffer(src), 0, segment, offset, length);
        } catch (IllegalStateException e) {
            throw closedError(e);
        } catch (InternalError e) {
            throw faulted(e);
        }
        src.position(src.limit());
    }

    /** Sets {@code length} bytes to zero. */
    public void zero(long offset, long length) {
        try {
            segment.asSlice(offset, length).fill((byte) 0);
        } catch (IllegalStateException e) {
            throw closedError(e);
        } catch (InternalError e) {
            throw faulted(e);
        }
    }

    /**
     * A view of a region as a {@link ByteBuffer} (big-endian like any new buffer, position 0, limit
     * {@code length}). The view shares memory with the mapping; once the owner is closed, using it throws
     * {@link IllegalStateException}.
     */
    public ByteBuffer view(long offset, int length) {
        ensureOpen(); // slicing alone does not check
        return segment.asSlice(offset, length).asByteBuffer().order(ByteOrder.BIG_ENDIAN);
    }

    /** Whether futex waiting on this memory is possible: on Linux, where a mapped word has an address. */
    public boolean supportsFutex() {
        return LINUX;
    }

    /**
     * Address of a word, for a futex call.
     *
     * @throws IllegalStateException if this mapping is closed
     */
    public long address(long offset) {
        ensureOpen();
        if (offset < 0 || offset > size - 4) {
            throw new IndexOutOfBoundsException("address outside the mapping: offset=" + offset + ", size=" + size);
        }
        return segment.address() + offset;
    }

    /** Forces a full memory fence. */
    public static void fullFence() {
        VarHandle.fullFence();
    }

    /**
     * Unmaps the memory now. Idempotent. Any later access, from any thread, throws
     * {@link IllegalStateException}; an access racing with the unmapping also throws (the JDK waits for it),
     * so nothing ever touches unmapped memory.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            arena.close();
        }
    }
}
