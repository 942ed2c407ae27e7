package io.mmipc.queue;

import io.mmipc.WaitMode;
import io.mmipc.codec.Codec;
import io.mmipc.internal.file.SharedFile;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.ring.QueueLayout;
import io.mmipc.internal.ring.Ring;
import io.mmipc.internal.ring.Spill;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractQueue;
import java.util.Collection;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Python's {@code multiprocessing.Queue} for Java: a bounded multi-producer, multi-consumer queue in a
 * memory-mapped file that any number of processes open by name. Each message goes to exactly one consumer;
 * messages from one producer arrive in the order it put them.
 *
 * <p>There is no feeder thread: when {@code put} returns, the message is in shared memory, and a producer
 * that exits or is killed right after loses nothing. Producers never lock; consumers take under a robust
 * lock that a killed consumer cannot wedge. Blocking calls spin briefly, then sleep in the kernel (see
 * {@link WaitMode}).
 *
 * <p>It is a {@link BlockingQueue}, with Python's names beside the Java ones:
 * <table>
 *   <caption>Python to Java</caption>
 *   <tr><th>Python</th><th>here</th></tr>
 *   <tr><td>{@code put(x)}</td><td>{@link #put(Object)}</td></tr>
 *   <tr><td>{@code put(x, timeout=t)}</td><td>{@link #put(Object, Duration)} (throws {@link QueueFullException})
 *       or {@link #offer(Object, long, TimeUnit)} (returns false)</td></tr>
 *   <tr><td>{@code put_nowait(x)}</td><td>{@link #putNowait(Object)} or {@link #offer(Object)}</td></tr>
 *   <tr><td>{@code get()}</td><td>{@link #get()} / {@link #take()}</td></tr>
 *   <tr><td>{@code get(timeout=t)}</td><td>{@link #get(Duration)} (throws {@link QueueEmptyException})
 *       or {@link #poll(long, TimeUnit)} (returns null)</td></tr>
 *   <tr><td>{@code get_nowait()}</td><td>{@link #getNowait()} or {@link #poll()}</td></tr>
 *   <tr><td>{@code qsize()}, {@code empty()}, {@code full()}</td><td>{@link #qsize()}, {@link #empty()},
 *       {@link #full()}: exact at the moment they are read</td></tr>
 *   <tr><td>{@code shutdown(immediate)}</td><td>{@link #shutdown(boolean)}</td></tr>
 *   <tr><td>{@code close()}</td><td>{@link #close()}; {@link #unlink()} removes the object</td></tr>
 * </table>
 *
 * <p>A message the codec cannot decode (say, a class the serialization filter refuses) is removed by the get
 * that meets it, which throws the codec's exception, so it cannot block the consumers behind it; in a
 * joinable queue it counts as done. {@link #peek()} leaves it in place and throws.
 *
 * <p>Methods that would need to see the whole queue at once ({@link #iterator()}, {@link #contains},
 * {@link #remove(Object)}, {@link #toArray()}) cannot be honest while other processes put and take, and
 * throw {@link UnsupportedOperationException}. {@link #peek()} is exact: it reads the head under the
 * consumer lock without taking it.
 *
 * @param <E> the item type
 */
public class SharedQueue<E> extends AbstractQueue<E> implements BlockingQueue<E>, AutoCloseable {
    /** Re-check interval while a claim is stuck at the head (is its producer dead?). */
    private static final long DEAD_PEER_CHECK_NANOS = 10_000_000L;
    /**
     * Re-check interval of a get on an empty ring: a producer that claimed and died before publishing sends
     * no signal, so this bounds the recovery time of a consumer that was already asleep (10 wake-ups/s idle).
     */
    private static final long IDLE_CHECK_NANOS = 100_000_000L;
    /** Re-check interval of a put on a full ring: every take is signalled; this is only a safety net. */
    private static final long FULL_CHECK_NANOS = 1_000_000_000L;
    private static final int SHUTDOWN_DRAIN = 1;
    private static final int SHUTDOWN_IMMEDIATE = 2;

    final SharedFile file;
    final Ring ring;
    final MappedMemory memory;
    private final Codec<E> codec;
    private final Spill spill;
    private final ThreadLocal<ByteBuffer> scratch = ThreadLocal.withInitial(() -> ByteBuffer.allocate(256));

    SharedQueue(SharedFile file, Ring ring, Codec<E> codec, WaitMode mode) {
        this.file = file;
        this.ring = ring;
        this.memory = file.memory();
        this.codec = codec;
        this.spill = new Spill(file.path(), ring);
    }

    /**
     * Starts building a queue named {@code name}: then {@code create()}, {@code open()} or
     * {@code openOrCreate()}.
     *
     * @param name  the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @param codec how items become bytes (see {@link io.mmipc.codec.Codecs})
     * @param <E>   the item type
     * @return the builder
     */
    public static <E> QueueBuilder<E, ? extends SharedQueue<E>> builder(String name, Codec<E> codec) {
        return new QueueBuilder<E, SharedQueue<E>>(name, codec, false, SharedQueue::new);
    }

    /** Creates a queue with default settings in the default folder. */
    public static <E> SharedQueue<E> create(String name, Codec<E> codec) throws IOException {
        return builder(name, codec).create();
    }

    /** Opens an existing queue in the default folder. */
    public static <E> SharedQueue<E> open(String name, Codec<E> codec) throws IOException {
        return builder(name, codec).open();
    }

    // ------------------------------------------------------------------ put side

    /** Puts an item, waiting as long as the queue is full. */
    @Override
    public void put(E item) throws InterruptedException {
        send(encode(item), Long.MAX_VALUE);
    }

    /**
     * Puts an item, waiting at most {@code timeout} for room.
     *
     * @throws QueueFullException if still full after the timeout
     */
    public void put(E item, Duration timeout) throws InterruptedException {
        if (!send(encode(item), deadline(timeout))) {
            throw new QueueFullException(file.label() + " is full");
        }
    }

    /**
     * Puts an item if there is room now.
     *
     * @throws QueueFullException if the queue is full
     */
    public void putNowait(E item) {
        if (!offer(item)) {
            throw new QueueFullException(file.label() + " is full");
        }
    }

    @Override
    public boolean offer(E item) {
        try {
            return send(encode(item), 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public boolean offer(E item, long timeout, TimeUnit unit) throws InterruptedException {
        return send(encode(item), deadline(unit.toNanos(timeout)));
    }

    @Override
    public boolean add(E item) {
        putNowait(item);
        return true;
    }

    /** Puts the bytes of {@code src} (position to limit) as one message, waiting for room; zero-copy. */
    public void putBytes(ByteBuffer src) throws InterruptedException {
        send(src.duplicate(), Long.MAX_VALUE);
        src.position(src.limit());
    }

    /** Puts {@code length} bytes of an array as one message, waiting for room. */
    public void putBytes(byte[] src, int offset, int length) throws InterruptedException {
        send(ByteBuffer.wrap(src, offset, length), Long.MAX_VALUE);
    }

    /** Puts the bytes of {@code src} as one message if there is room within {@code timeout}. */
    public boolean offerBytes(ByteBuffer src, Duration timeout) throws InterruptedException {
        boolean sent = send(src.duplicate(), deadline(timeout));
        if (sent) {
            src.position(src.limit());
        }
        return sent;
    }

    private ByteBuffer encode(E item) {
        Objects.requireNonNull(item, "item");
        ByteBuffer buf = scratch.get();
        buf.clear();
        try {
            return codec.encode(item, buf);
        } catch (java.nio.BufferOverflowException e) {
            ByteBuffer bigger = ByteBuffer.allocate(buf.capacity() * 4);
            scratch.set(bigger);
            return encode(item);
        }
    }

    /** Sends one encoded message; false if the deadline passed while full. */
    boolean send(ByteBuffer payload, long deadlineNanos) throws InterruptedException {
        file.ensureOpen();
        checkNotShutdown();
        int length = payload.remaining();
        if (length > ring.maxInlinePayload()) {
            return sendSpilled(payload, deadlineNanos);
        }
        long pos = claim(length, deadlineNanos);
        if (pos < 0) {
            return false;
        }
        boolean ok = false;
        try {
            ring.write(pos, payload, 0);
            ok = true;
        } finally {
            ring.publish(pos, length, !ok);
        }
        return true;
    }

    private boolean sendSpilled(ByteBuffer payload, long deadlineNanos) throws InterruptedException {
        int length = payload.remaining();
        long id = spill.write(payload);
        long pos;
        try {
            pos = claim(8, deadlineNanos);
        } catch (InterruptedException | RuntimeException e) {
            spill.delete(id);
            throw e;
        }
        if (pos < 0) {
            spill.delete(id);
            return false;
        }
        boolean ok = false;
        try {
            ring.writeSpillReference(pos, id, length);
            ok = true;
        } finally {
            ring.publish(pos, 8, !ok);
        }
        return true;
    }

    private long claim(int length, long deadlineNanos) throws InterruptedException {
        long pos = ring.claim(length);
        if (pos >= 0 || deadlineNanos == 0) {
            return pos;
        }
        long[] claimed = {-1};
        ring.notFull().await(() -> {
            checkNotShutdown();
            file.ensureOpen();
            return (claimed[0] = ring.claim(length)) >= 0;
        }, deadlineNanos, FULL_CHECK_NANOS);
        return claimed[0];
    }

    // ------------------------------------------------------------------ get side

    /** Takes an item, waiting as long as the queue is empty. */
    public E get() throws InterruptedException {
        return take();
    }

    /**
     * Takes an item, waiting at most {@code timeout}.
     *
     * @throws QueueEmptyException if still empty after the timeout
     */
    public E get(Duration timeout) throws InterruptedException {
        E item = receiveItem(deadline(timeout));
        if (item == null) {
            throw new QueueEmptyException(file.label() + " is empty");
        }
        return item;
    }

    /**
     * Takes an item if one is there now.
     *
     * @throws QueueEmptyException if the queue is empty
     */
    public E getNowait() {
        E item = poll();
        if (item == null) {
            throw new QueueEmptyException(file.label() + " is empty");
        }
        return item;
    }

    @Override
    public E take() throws InterruptedException {
        return receiveItem(Long.MAX_VALUE);
    }

    @Override
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        return receiveItem(deadline(unit.toNanos(timeout)));
    }

    @Override
    public E poll() {
        try {
            return receiveItem(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Takes one message into {@code dst} (at its position), waiting as long as the queue is empty;
     * zero-copy from shared memory into the buffer.
     *
     * @return the message length
     * @throws java.nio.BufferOverflowException if it does not fit; the message stays in the queue
     */
    public int takeBytes(ByteBuffer dst) throws InterruptedException {
        return pollBytes(dst, Long.MAX_VALUE);
    }

    /**
     * Takes one message into {@code dst} if one arrives within {@code timeout}.
     *
     * @return the message length, or -1 on timeout
     * @throws java.nio.BufferOverflowException if it does not fit; the message stays in the queue
     */
    public int pollBytes(ByteBuffer dst, Duration timeout) throws InterruptedException {
        return pollBytes(dst, deadline(timeout));
    }

    private int pollBytes(ByteBuffer dst, long deadlineNanos) throws InterruptedException {
        int[] length = {-1};
        receive(message -> {
            if (message.remaining() > dst.remaining()) {
                throw new java.nio.BufferOverflowException();
            }
            length[0] = message.remaining();
            dst.put(message);
        }, deadlineNanos);
        return length[0];
    }

    /**
     * Hands the next message to {@code reader} in place (zero-copy), waiting at most {@code timeout}.
     * The consumer lock is held during the call: keep it short.
     *
     * @return true if a message was read, false on timeout
     */
    public boolean read(MessageReader reader, Duration timeout) throws InterruptedException {
        return receive(reader::read, deadline(timeout));
    }

    private E receiveItem(long deadlineNanos) throws InterruptedException {
        Object[] item = new Object[1];
        receive(message -> item[0] = decode(message), deadlineNanos);
        @SuppressWarnings("unchecked")
        E e = (E) item[0];
        return e;
    }

    /**
     * Decodes a message being taken. Bytes the codec refuses can never become an item, in this consumer or
     * any other: the message is removed (as Python's get drops what it cannot unpickle) rather than left at
     * the head, where it would make every later get fail.
     */
    private E decode(ByteBuffer message) {
        try {
            return codec.decode(message);
        } catch (RuntimeException e) {
            throw new Ring.Undeliverable(e);
        }
    }

    /** Takes one message into the sink; false if the deadline passed while empty. */
    boolean receive(Ring.Sink sink, long deadlineNanos) throws InterruptedException {
        while (true) {
            file.ensureOpen();
            int state = shutdownState();
            if (state == SHUTDOWN_IMMEDIATE) {
                throw shutdownError();
            }
            // A non-blocking get waits for the lock as a take needs it (microseconds) rather than report an
            // empty queue; a blocking one waits only until its deadline, and interruptibly.
            int taken = deadlineNanos == 0 ? ring.take(sink, spill) : ring.take(sink, spill, deadlineNanos);
            if (taken == Ring.TAKEN) {
                return true;
            }
            if (taken == Ring.LOCK_BUSY) {
                return false;
            }
            if (state != 0 && ring.size() == 0) {
                throw shutdownError();
            }
            if (deadlineNanos == 0 || (deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos >= 0)) {
                return false;
            }
            ring.notEmpty().await(() -> ring.headReady() || shutdownState() != 0 || file.isClosed(),
                    deadlineNanos, taken == Ring.IN_PROGRESS ? DEAD_PEER_CHECK_NANOS : IDLE_CHECK_NANOS);
        }
    }

    @Override
    public E peek() {
        file.ensureOpen();
        Object[] item = new Object[1];
        ring.peek(message -> item[0] = codec.decode(message), spill);
        @SuppressWarnings("unchecked")
        E e = (E) item[0];
        return e;
    }

    // ------------------------------------------------------------------ size and state

    /** @return the number of messages put (or being put) and not yet taken, exact when read */
    public int qsize() {
        return ring.size();
    }

    /** @return whether {@link #qsize()} is 0 */
    public boolean empty() {
        return ring.size() == 0;
    }

    /** @return whether a put of the smallest message would have to wait now */
    public boolean full() {
        return ring.isFull();
    }

    @Override
    public int size() {
        return qsize();
    }

    @Override
    public boolean isEmpty() {
        return empty();
    }

    @Override
    public int remainingCapacity() {
        long max = ring.maxSize();
        return max > 0 ? (int) Math.max(0, max - ring.size()) : Integer.MAX_VALUE;
    }

    /** @return the maximum number of messages (Python's {@code maxsize}), or 0 if bounded by bytes only */
    public int maxSize() {
        return (int) ring.maxSize();
    }

    /** @return the largest message stored in the ring itself; larger ones go through a side file */
    public int maxInlineMessage() {
        return ring.maxInlinePayload();
    }

    @Override
    public int drainTo(Collection<? super E> c) {
        return drainTo(c, Integer.MAX_VALUE);
    }

    @Override
    public int drainTo(Collection<? super E> c, int maxElements) {
        Objects.requireNonNull(c, "c");
        if (c == this || (c instanceof SharedQueue && sameQueue((SharedQueue<?>) c))) {
            // Another handle on this queue is this queue too: draining into it would never end.
            throw new IllegalArgumentException("cannot drain a queue into itself: " + file.label());
        }
        int n = 0;
        E item;
        while (n < maxElements && (item = poll()) != null) {
            c.add(item);
            n++;
        }
        return n;
    }

    private boolean sameQueue(SharedQueue<?> other) {
        Path mine = file.path();
        Path theirs = other.file.path();
        if (mine.toAbsolutePath().normalize().equals(theirs.toAbsolutePath().normalize())) {
            return true;
        }
        try {
            return Files.isSameFile(mine, theirs);
        } catch (IOException e) {
            return false;
        }
    }

    /** Unsupported: a queue shared by processes cannot be iterated honestly. */
    @Override
    public Iterator<E> iterator() {
        throw new UnsupportedOperationException(file.label() + ": a cross-process queue cannot be iterated");
    }

    /** Unsupported: see {@link #iterator()}. */
    @Override
    public boolean contains(Object o) {
        throw new UnsupportedOperationException(file.label() + ": contains() would need to iterate");
    }

    /** Unsupported: see {@link #iterator()}. */
    @Override
    public boolean remove(Object o) {
        throw new UnsupportedOperationException(file.label() + ": remove(Object) would need to iterate");
    }

    /** Unsupported: see {@link #iterator()}. */
    @Override
    public Object[] toArray() {
        throw new UnsupportedOperationException(file.label() + ": toArray() would need to iterate");
    }

    /** Unsupported: see {@link #iterator()}. */
    @Override
    public <T> T[] toArray(T[] a) {
        throw new UnsupportedOperationException(file.label() + ": toArray() would need to iterate");
    }

    /** Unsupported: see {@link #iterator()}. */
    @Override
    public boolean removeAll(Collection<?> c) {
        throw new UnsupportedOperationException(file.label() + ": removeAll() would need to iterate");
    }

    /** Unsupported: see {@link #iterator()}. */
    @Override
    public boolean retainAll(Collection<?> c) {
        throw new UnsupportedOperationException(file.label() + ": retainAll() would need to iterate");
    }

    /** Unsupported: see {@link #iterator()}. */
    @Override
    public boolean containsAll(Collection<?> c) {
        throw new UnsupportedOperationException(file.label() + ": containsAll() would need to iterate");
    }

    /** Takes and discards every message present now. */
    @Override
    public void clear() {
        while (poll() != null) {
            // discard
        }
    }

    // ------------------------------------------------------------------ shutdown and lifecycle

    /** Python 3.13's {@code shutdown()}: refuse puts; gets drain what is queued, then fail. */
    public void shutdown() {
        shutdown(false);
    }

    /**
     * Shuts the queue down in every process. Later puts throw {@link QueueShutdownException}; gets drain
     * what is queued and then throw it, or, if {@code immediate}, the queued messages are discarded (and,
     * for a joinable queue, counted done) and gets throw at once. Blocked callers everywhere wake up.
     */
    public void shutdown(boolean immediate) {
        file.ensureOpen();
        int target = immediate ? SHUTDOWN_IMMEDIATE : SHUTDOWN_DRAIN;
        int current;
        do {
            current = memory.getIntVolatile(ring.base() + QueueLayout.SHUTDOWN);
        } while (current < target && !memory.compareAndSetInt(ring.base() + QueueLayout.SHUTDOWN, current, target));
        if (immediate) {
            discardAll();
        }
        wakeEveryone();
    }

    /** Discards everything queued (for an immediate shutdown). */
    void discardAll() {
        while (ring.take(message -> { }, spill) == Ring.TAKEN) {
            afterDiscard();
        }
    }

    /** Hook for the joinable queue: a discarded message counts as done. */
    void afterDiscard() {
    }

    void wakeEveryone() {
        MappedMemory.fullFence();
        ring.notEmpty().signalAll();
        ring.notFull().signalAll();
    }

    /** @return whether {@link #shutdown} was called in any process */
    public boolean isShutdown() {
        return shutdownState() != 0;
    }

    int shutdownState() {
        return memory.getIntVolatile(ring.base() + QueueLayout.SHUTDOWN);
    }

    private void checkNotShutdown() {
        if (shutdownState() != 0) {
            throw shutdownError();
        }
    }

    private QueueShutdownException shutdownError() {
        return new QueueShutdownException(file.label() + " is shut down");
    }

    /** @return the queue's name as given to the builder, with its kind: {@code queue 'jobs'} */
    public String label() {
        return file.label();
    }

    /** @return the file the queue lives in */
    public Path path() {
        return file.path();
    }

    /** Detaches this handle (other handles and processes are unaffected). Idempotent. */
    @Override
    public void close() {
        file.close(this::wakeEveryone);
    }

    /** Removes the queue's name (and side files); processes that have it open keep using it until they close. */
    public void unlink() throws IOException {
        file.unlink();
        Spill.deleteAll(file.path());
    }

    @Override
    public String toString() {
        return file.label() + "[size=" + (file.isClosed() ? "closed" : String.valueOf(qsize())) + "]";
    }

    static long deadline(Duration timeout) {
        return deadline(timeout.toNanos());
    }

    /** Turns a timeout into a deadline: 0 means "do not wait", {@link Long#MAX_VALUE} "wait forever". */
    static long deadline(long timeoutNanos) {
        if (timeoutNanos <= 0) {
            return 0;
        }
        long d = System.nanoTime() + timeoutNanos;
        return d == 0 || d == Long.MAX_VALUE || timeoutNanos > Long.MAX_VALUE / 4 ? Long.MAX_VALUE : d;
    }
}
