package io.mmipc.pipe;

import io.mmipc.codec.Codec;
import io.mmipc.internal.ring.MessagePath;
import io.mmipc.internal.ring.Ring;
import io.mmipc.internal.ring.Spill;
import io.mmipc.internal.sync.Deadlines;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One end of a {@link SharedPipe}: Python's {@code multiprocessing.connection.Connection}, between processes.
 *
 * <table>
 *   <caption>Python to Java</caption>
 *   <tr><th>Python</th><th>here</th></tr>
 *   <tr><td>{@code send(obj)}</td><td>{@link #send(Object)}, through the pipe's {@link Codec}</td></tr>
 *   <tr><td>{@code recv()}</td><td>{@link #recv()}</td></tr>
 *   <tr><td>{@code send_bytes(buf, offset, size)}</td><td>{@link #sendBytes(byte[], int, int)},
 *       {@link #sendBytes(ByteBuffer)}</td></tr>
 *   <tr><td>{@code recv_bytes(maxlength)}</td><td>{@link #recvBytes()}, {@link #recvBytes(int)}</td></tr>
 *   <tr><td>{@code recv_bytes_into(buf, offset)}</td><td>{@link #recvBytesInto(byte[], int)},
 *       {@link #recvBytesInto(ByteBuffer)}</td></tr>
 *   <tr><td>{@code poll()}, {@code poll(t)}, {@code poll(None)}</td><td>{@link #poll()},
 *       {@link #poll(Duration)}, {@link #poll(Duration) poll(null)}</td></tr>
 *   <tr><td>{@code close()}, {@code closed}, {@code readable}, {@code writable}</td><td>{@link #close()},
 *       {@link #isClosed()}, {@link #isReadable()}, {@link #isWritable()}</td></tr>
 *   <tr><td>{@code EOFError}, {@code BrokenPipeError}, {@code BufferTooShort}</td><td>{@link EOFException},
 *       {@link BrokenPipeException}, {@link BufferTooShortException}</td></tr>
 * </table>
 *
 * <p><b>End-of-file.</b> Once no live process holds a handle on the other end (each closed it, or died)
 * and every message already sent was received, the receive methods throw {@link EOFException} and
 * {@link #poll()} reports readable, so a reader loop ends. A holder killed with SIGKILL is noticed within
 * about 100 ms (the liveness re-check, plus scheduling), a close at
 * once. An end that no process has opened yet is not "gone": a reader waits for its peer to connect. If a
 * process opens the other end again later, the pipe carries messages again.
 *
 * <p><b>Broken pipe.</b> A send to an end that no live process holds throws {@link BrokenPipeException}
 * instead of filling the ring; a send blocked on a full ring fails the same way when the readers leave.
 *
 * <p><b>Several senders and receivers.</b> Any number of threads and processes may send on one end:
 * each message arrives whole and exactly once, messages from one thread arrive in the order it sent them,
 * and a send that returned before another began is received first; sends that overlap in time are
 * ordered arbitrarily. Several threads or processes may also receive on one end: each message goes to
 * exactly one of them (receives take a robust lock that a killed receiver cannot wedge).
 *
 * <p><b>Sizes.</b> Messages of any size: up to {@link #maxInlineMessage()} bytes travel in the ring itself,
 * larger ones through a side file. The {@code ByteBuffer} methods copy straight between the caller's buffer
 * and shared memory (one copy per side, no intermediate array).
 *
 * <p>Blocking calls spin briefly, then sleep in the kernel (see {@link io.mmipc.WaitMode}). Misuse
 * (receiving on a send-only end, using a closed connection) throws {@link IllegalStateException}.
 * Instances are thread-safe.
 *
 * @param <T> the type of object {@link #send} and {@link #recv} carry
 */
public final class PipeConnection<T> implements AutoCloseable {
    private final PipeFile pipe;
    private final PipeEnd end;
    private final Codec<T> codec;
    private final String label;
    private final MessagePath<IOException> inbound;
    private final MessagePath<IOException> outbound;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ThreadLocal<ByteBuffer> scratch = ThreadLocal.withInitial(() -> ByteBuffer.allocate(256));

    /** Makes the connection for {@code end}; the caller has already counted it with {@link PipeFile#join}. */
    PipeConnection(PipeFile pipe, PipeEnd end, Codec<T> codec) {
        this.pipe = pipe;
        this.end = end;
        this.codec = codec;
        this.label = pipe.label() + " end " + end;
        Ring in = pipe.ringReadBy(end);
        Ring out = pipe.ringReadBy(end.other());
        PipeGate gate = new PipeGate(this, pipe.file, pipe.watch(end.other()));
        this.inbound = in == null ? null : new MessagePath<>(in, pipe.spillReadBy(end), gate);
        this.outbound = out == null ? null : new MessagePath<>(out, pipe.spillReadBy(end.other()), gate);
    }

    // ------------------------------------------------------------------ sending

    /**
     * Sends an object, encoded by the pipe's codec, waiting while the pipe is full.
     *
     * @param obj the object (not null)
     * @throws BrokenPipeException   if no live process holds the other end
     * @throws IllegalStateException if this end is receive-only or closed
     * @throws InterruptedException  if interrupted while waiting for room
     */
    public void send(T obj) throws IOException, InterruptedException {
        Objects.requireNonNull(obj, "obj");
        outbound().send(encode(obj), Deadlines.FOREVER);
    }

    /**
     * Sends an object, encoded by the pipe's codec, waiting at most {@code timeout} for room.
     *
     * @param obj     the object (not null)
     * @param timeout the longest wait for room; zero or negative does not wait
     * @return true if sent, false if the pipe stayed full until the timeout (nothing was sent)
     * @throws BrokenPipeException   if no live process holds the other end
     * @throws IllegalStateException if this end is receive-only or closed
     * @throws InterruptedException  if interrupted while waiting for room
     */
    public boolean send(T obj, Duration timeout) throws IOException, InterruptedException {
        Objects.requireNonNull(obj, "obj");
        return outbound().send(encode(obj), Deadlines.after(timeout));
    }

    /**
     * Sends a whole array as one message: {@code sendBytes(buf, 0, buf.length)}.
     *
     * @param buf the message bytes
     * @throws IOException if the pipe is broken (see {@link BrokenPipeException})
     * @throws InterruptedException if interrupted while waiting
     */
    public void sendBytes(byte[] buf) throws IOException, InterruptedException {
        sendBytes(buf, 0, buf.length);
    }

    /**
     * Python's {@code send_bytes(buf, offset, size)}: sends {@code size} bytes of {@code buf} from
     * {@code offset} as one message (received by {@link #recvBytes()} and friends; {@link #recv()} decodes it
     * with the codec).
     *
     * @param buf the message bytes
     * @param offset the index of the first byte to send
     * @param size the number of bytes to send
     * @throws IndexOutOfBoundsException if the range is not inside the array
     * @throws BrokenPipeException       if no live process holds the other end
     * @throws InterruptedException if interrupted while waiting
     */
    public void sendBytes(byte[] buf, int offset, int size) throws IOException, InterruptedException {
        Objects.checkFromIndexSize(offset, size, buf.length);
        outbound().send(ByteBuffer.wrap(buf, offset, size), Deadlines.FOREVER);
    }

    /**
     * Sends the bytes of {@code src} from its position to its limit as one message, copied straight into
     * shared memory; on success the position is advanced to the limit.
     *
     * @param src the message, from its position to its limit
     * @throws BrokenPipeException if no live process holds the other end
     * @throws InterruptedException if interrupted while waiting
     */
    public void sendBytes(ByteBuffer src) throws IOException, InterruptedException {
        outbound().sendAndAdvance(src, Deadlines.FOREVER);
    }

    /**
     * Sends the bytes of {@code src} from its position to its limit as one message, waiting at most
     * {@code timeout} for room; on success the position is advanced to the limit.
     *
     * @param src     the message
     * @param timeout the longest wait for room; zero or negative does not wait
     * @return true if sent, false if the pipe stayed full until the timeout (nothing was sent)
     * @throws BrokenPipeException   if no live process holds the other end
     * @throws IllegalStateException if this end is receive-only or closed
     * @throws InterruptedException  if interrupted while waiting for room
     */
    public boolean sendBytes(ByteBuffer src, Duration timeout) throws IOException, InterruptedException {
        return outbound().sendAndAdvance(src, Deadlines.after(timeout));
    }

    private ByteBuffer encode(T obj) {
        ByteBuffer buf = scratch.get();
        while (true) {
            buf.clear();
            try {
                return codec.encode(obj, buf);
            } catch (BufferOverflowException e) {
                buf = ByteBuffer.allocate(buf.capacity() * 4);
                scratch.set(buf);
            }
        }
    }

    // ------------------------------------------------------------------ receiving

    /**
     * Receives the next object, waiting as long as needed. A message the codec cannot decode is consumed
     * and its error thrown.
     *
     * @return the object, decoded by the codec
     * @throws EOFException          at end-of-file (see the class comment)
     * @throws IllegalStateException if this end is send-only or closed
     * @throws InterruptedException  if interrupted while waiting
     */
    public T recv() throws IOException, InterruptedException {
        Object[] item = new Object[1];
        RuntimeException[] error = new RuntimeException[1];
        receiveChecked(message -> {
            try {
                item[0] = codec.decode(message);
            } catch (RuntimeException e) {
                error[0] = e;
            }
        });
        if (error[0] != null) {
            throw error[0];
        }
        @SuppressWarnings("unchecked")
        T t = (T) item[0];
        return t;
    }

    /**
     * Python's {@code recv_bytes()}: receives the next message as a new array.
     *
     * @return the message's bytes
     * @throws IOException at end-of-file ({@link java.io.EOFException})
     * @throws InterruptedException if interrupted while waiting
     */
    public byte[] recvBytes() throws IOException, InterruptedException {
        return recvBytes(Integer.MAX_VALUE);
    }

    /**
     * Python's {@code recv_bytes(maxlength)}: receives the next message as a new array.
     *
     * @param maxLength the longest message accepted
     * @return the message's bytes
     * @throws BufferTooShortException if the message is longer; it stays first in the pipe
     * @throws EOFException            at end-of-file
     * @throws InterruptedException if interrupted while waiting
     */
    public byte[] recvBytes(int maxLength) throws IOException, InterruptedException {
        if (maxLength < 0) {
            throw new IllegalArgumentException("maxLength must not be negative: maxLength=" + maxLength);
        }
        byte[][] out = new byte[1][];
        receiveChecked(message -> {
            checkFits(message.remaining(), maxLength);
            out[0] = new byte[message.remaining()];
            message.get(out[0]);
        });
        return out[0];
    }

    /**
     * {@code recvBytesInto(buffer, 0)}.
     *
     * @param buffer the array that receives the message
     * @return the message length
     * @throws IOException at end-of-file ({@link java.io.EOFException}), or if the message does not fit ({@link
     *                     BufferTooShortException})
     * @throws InterruptedException if interrupted while waiting
     */
    public int recvBytesInto(byte[] buffer) throws IOException, InterruptedException {
        return recvBytesInto(buffer, 0);
    }

    /**
     * Python's {@code recv_bytes_into(buffer, offset)}: receives the next message into {@code buffer} from
     * {@code offset}.
     *
     * @param buffer the array that receives the message
     * @param offset the index in {@code buffer} of the first byte received
     * @return the message length
     * @throws BufferTooShortException   if it does not fit in {@code buffer.length - offset} bytes; the
     *                                   message stays first in the pipe and the buffer is untouched
     * @throws IndexOutOfBoundsException if {@code offset} is not in {@code [0, buffer.length]}
     * @throws EOFException              at end-of-file
     * @throws InterruptedException if interrupted while waiting
     */
    public int recvBytesInto(byte[] buffer, int offset) throws IOException, InterruptedException {
        Objects.checkIndex(offset, buffer.length + 1);
        int[] length = new int[1];
        receiveChecked(message -> {
            int n = message.remaining();
            checkFits(n, buffer.length - offset);
            message.get(buffer, offset, n);
            length[0] = n;
        });
        return length[0];
    }

    /**
     * Receives the next message into {@code dst} at its position, copied straight from shared memory, and
     * advances the position past it.
     *
     * @param dst the buffer that receives the message at its position
     * @return the message length
     * @throws BufferTooShortException if it does not fit in {@code dst.remaining()} bytes; the message stays
     *                                 first in the pipe and {@code dst} is untouched
     * @throws EOFException            at end-of-file
     * @throws InterruptedException if interrupted while waiting
     */
    public int recvBytesInto(ByteBuffer dst) throws IOException, InterruptedException {
        int[] length = new int[1];
        receiveChecked(message -> {
            int n = message.remaining();
            checkFits(n, dst.remaining());
            dst.put(message);
            length[0] = n;
        });
        return length[0];
    }

    /** Thrown inside a sink to leave a message that does not fit in the pipe. */
    private static final class DoesNotFit extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int length;
        final int available;

        DoesNotFit(int length, int available) {
            super(null, null, false, false);
            this.length = length;
            this.available = available;
        }
    }

    private static void checkFits(int length, int available) {
        if (length > available) {
            throw new DoesNotFit(length, available);
        }
    }

    private void receiveChecked(Ring.Sink sink) throws IOException, InterruptedException {
        MessagePath<IOException> in = inbound();
        try {
            in.receive(sink, Deadlines.FOREVER);
        } catch (DoesNotFit e) {
            throw new BufferTooShortException(label, e.length, e.available);
        } catch (UncheckedIOException e) {
            // A side file that cannot be read now (the message stays), or a corrupt record (removed).
            throw e.getCause();
        }
    }

    /**
     * Python's {@code poll()}: tells, without waiting, whether a receive would not block: a message is
     * waiting, or the pipe is at end-of-file.
     *
     * @return true if a receive would return or throw at once
     */
    public boolean poll() {
        MessagePath<IOException> in = inbound();
        try {
            return in.poll(Deadlines.after(0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            // NOTE: unreachable: a zero deadline never waits, so never sees an interrupt.
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Python's {@code poll(timeout)}: waits up to {@code timeout} until a receive would not block (a message
     * is waiting, or end-of-file). Takes nothing.
     *
     * @param timeout how long to wait; {@code null} waits forever (Python's {@code poll(None)})
     * @return true if readable, false if the timeout passed first
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean poll(Duration timeout) throws InterruptedException {
        try {
            return inbound().poll(Deadlines.afterOrForever(timeout));
        } catch (IOException e) {
            // NOTE: unreachable: a receive's gate throws only IllegalStateException.
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ state

    /** {@return which end of the pipe this is} */
    public PipeEnd end() {
        return end;
    }

    /** {@return whether this end can receive (Python's {@code readable})} */
    public boolean isReadable() {
        return inbound != null;
    }

    /** {@return whether this end can send (Python's {@code writable})} */
    public boolean isWritable() {
        return outbound != null;
    }

    /** {@return whether the pipe is duplex} */
    public boolean isDuplex() {
        return pipe.duplex;
    }

    /** {@return whether {@link #close()} was called (Python's {@code closed})} */
    public boolean isClosed() {
        return closed.get();
    }

    /** {@return the largest message carried in a ring itself; larger ones go through a side file} */
    public int maxInlineMessage() {
        return pipe.ringReadBy(PipeEnd.FIRST).maxInlinePayload();
    }

    /** {@return how messages name this connection, e.g. {@code pipe 'p' end FIRST}} */
    public String label() {
        return label;
    }

    /** {@return the pipe's file} */
    public Path path() {
        return pipe.file.path();
    }

    /** {@return the codec objects go through (lets {@code io.mmipc.process} reopen this end in a child)} */
    public Codec<T> codec() {
        return codec;
    }

    /**
     * Removes the pipe's name; processes that have it open keep using it until they close it (its side files
     * go with the last handle), and new opens fail. Call it once the peers have connected, or after use.
     *
     * @throws IOException if the name cannot be removed
     */
    public void unlink() throws IOException {
        pipe.file.unlink();
    }

    /**
     * Closes this handle on its end. When no live process holds the end any more, the other side's readers
     * see end-of-file (after reading what was sent) and its senders a broken pipe; blocked callers in every
     * process wake up. Threads of this process blocked on this connection fail with
     * {@link IllegalStateException}. Idempotent.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            pipe.leave(end);
        }
    }

    /** Throws the standard "closed" error if this connection is closed. */
    void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException(label + " is closed");
        }
    }

    private MessagePath<IOException> inbound() {
        ensureOpen();
        if (inbound == null) {
            throw new IllegalStateException(label + " is send-only (simplex pipe): it cannot receive");
        }
        return inbound;
    }

    private MessagePath<IOException> outbound() {
        ensureOpen();
        if (outbound == null) {
            throw new IllegalStateException(label + " is receive-only (simplex pipe): it cannot send");
        }
        return outbound;
    }

    @Override
    public String toString() {
        return label + (closed.get() ? "[closed]" : pipe.duplex ? "[duplex]" : isReadable() ? "[receive-only]"
                : "[send-only]");
    }
}
