package io.mmipc.queue;

import io.mmipc.WaitMode;
import io.mmipc.codec.Codec;
import io.mmipc.internal.file.SharedFile;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.ring.QueueLayout;
import io.mmipc.internal.ring.MessagePath;
import io.mmipc.internal.ring.RecordScanner;
import io.mmipc.internal.ring.Ring;
import io.mmipc.internal.ring.Spill;
import io.mmipc.internal.sync.Deadlines;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractQueue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
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
 * <p>The whole-queue views are those of {@link java.util.concurrent.LinkedBlockingQueue}: {@link #iterator()},
 * {@code forEach}, {@code stream()}, {@link #contains}, {@link #toArray()} and {@link #toString()} are weakly
 * consistent (queue order, each message at most once, never a
 * {@link java.util.ConcurrentModificationException}) and honest across processes (each step reads under the
 * consumer lock, so a message taken elsewhere since is skipped). {@link #remove(Object)},
 * {@link Iterator#remove()}, {@code removeIf}, {@code removeAll} and {@code retainAll} remove messages from the
 * middle, crash-safely: a process killed mid-removal leaves the message queued or removed, never half; sizes
 * stay exact; in a joinable queue a removed message counts as done. Items compare with {@code equals} after
 * decoding, arrays by content (see {@link #contains}). {@link #peek()} is exact: it reads the head under the
 * consumer lock without taking it.
 *
 * @param <E> the item type
 */
public class SharedQueue<E> extends AbstractQueue<E> implements BlockingQueue<E>, AutoCloseable {
    /** {@link #toString()} lists at most this many messages. */
    public static final int TO_STRING_MAX_ITEMS = 1000;
    /** {@link #toString()} stops listing once its text is longer than this. */
    public static final int TO_STRING_MAX_CHARS = 64 * 1024;

    final SharedFile file;
    final Ring ring;
    final MappedMemory memory;
    private final Codec<E> codec;
    private final QueueGate gate;
    final MessagePath<RuntimeException> path;
    private final RecordScanner scanner;
    private final ThreadLocal<ByteBuffer> scratch = ThreadLocal.withInitial(() -> ByteBuffer.allocate(256));

    SharedQueue(SharedFile file, Ring ring, Codec<E> codec, WaitMode mode) {
        this.file = file;
        this.ring = ring;
        this.memory = file.memory();
        this.codec = codec;
        this.gate = new QueueGate(file, ring.base());
        Spill spill = new Spill(file.path(), ring);
        this.path = new MessagePath<>(ring, spill, gate);
        this.scanner = new RecordScanner(ring, spill);
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

    /**
     * Creates a queue with default settings in the default folder.
     *
     * @param <E> the type of the items
     * @param name the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @param codec encodes and decodes the objects
     * @return a handle on the new queue
     * @throws IOException if the file cannot be created or mapped ({@link java.nio.file.FileAlreadyExistsException} if
     *                     the name is taken)
     */
    public static <E> SharedQueue<E> create(String name, Codec<E> codec) throws IOException {
        return builder(name, codec).create();
    }

    /**
     * Opens an existing queue in the default folder.
     *
     * @param <E> the type of the items
     * @param name the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @param codec encodes and decodes the objects
     * @return a handle on the queue
     * @throws IOException if the file cannot be opened or mapped, or is not such an object ({@link
     *                     java.nio.file.NoSuchFileException} if there is none)
     */
    public static <E> SharedQueue<E> open(String name, Codec<E> codec) throws IOException {
        return builder(name, codec).open();
    }

    // ------------------------------------------------------------------ put side

    /** Puts an item, waiting as long as the queue is full. */
    @Override
    public void put(E item) throws InterruptedException {
        send(encode(item), Deadlines.FOREVER);
    }

    /**
     * Puts an item, waiting at most {@code timeout} for room.
     *
     * @param item the item (not null)
     * @param timeout the longest wait; zero or negative does not wait
     * @throws QueueFullException if still full after the timeout
     * @throws InterruptedException if interrupted while waiting
     */
    public void put(E item, Duration timeout) throws InterruptedException {
        ByteBuffer payload = encode(item);
        throwIfInterrupted();
        if (!send(payload, Deadlines.after(timeout))) {
            throw new QueueFullException(file.label() + " is full");
        }
    }

    /**
     * Puts an item if there is room now.
     *
     * @param item the item (not null)
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
            return send(encode(item), Deadlines.after(0));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Puts an item, waiting at most {@code timeout} for room; a timeout too long to count in nanoseconds means
     * "forever". An interrupted thread gets {@link InterruptedException} even with a zero or negative timeout.
     *
     * @param item    the item
     * @param timeout how long to wait for room; zero or negative: not at all
     * @param unit    the unit of {@code timeout}
     * @return true if put, false if still full after the timeout
     * @throws InterruptedException if interrupted before or while waiting; nothing was put
     */
    @Override
    public boolean offer(E item, long timeout, TimeUnit unit) throws InterruptedException {
        ByteBuffer payload = encode(item);
        throwIfInterrupted();
        return send(payload, Deadlines.after(timeout, unit));
    }

    @Override
    public boolean add(E item) {
        putNowait(item);
        return true;
    }

    /**
     * Puts the bytes of {@code src} (position to limit) as one message, waiting for room; zero-copy.
     *
     * @param src the message bytes
     * @throws InterruptedException if interrupted while waiting
     */
    public void putBytes(ByteBuffer src) throws InterruptedException {
        path.sendAndAdvance(src, Deadlines.FOREVER);
    }

    /**
     * Puts {@code length} bytes of an array as one message, waiting for room.
     *
     * @param src the message bytes
     * @param offset the index of the first byte
     * @param length the number of bytes
     * @throws InterruptedException if interrupted while waiting
     */
    public void putBytes(byte[] src, int offset, int length) throws InterruptedException {
        send(ByteBuffer.wrap(src, offset, length), Deadlines.FOREVER);
    }

    /**
     * Puts the bytes of {@code src} as one message if there is room within {@code timeout}.
     *
     * @param src the message, from its position to its limit
     * @param timeout the longest wait; zero or negative does not wait
     * @return true if put, false if the queue stayed full until the timeout (nothing was put)
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean offerBytes(ByteBuffer src, Duration timeout) throws InterruptedException {
        return path.sendAndAdvance(src, Deadlines.after(timeout));
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
    boolean send(ByteBuffer payload, long deadline) throws InterruptedException {
        return path.send(payload, deadline);
    }

    // ------------------------------------------------------------------ get side

    /**
     * Takes an item, waiting as long as the queue is empty.
     *
     * @return the item
     * @throws InterruptedException if interrupted while waiting
     */
    public E get() throws InterruptedException {
        return take();
    }

    /**
     * Takes an item, waiting at most {@code timeout}.
     *
     * @param timeout the longest wait; zero or negative does not wait
     * @return the item
     * @throws QueueEmptyException if still empty after the timeout
     * @throws InterruptedException if interrupted while waiting
     */
    public E get(Duration timeout) throws InterruptedException {
        throwIfInterrupted();
        E item = receiveItem(Deadlines.after(timeout));
        if (item == null) {
            throw new QueueEmptyException(file.label() + " is empty");
        }
        return item;
    }

    /**
     * Takes an item if one is there now.
     *
     * @return the item
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
        return receiveItem(Deadlines.FOREVER);
    }

    /**
     * Takes an item, waiting at most {@code timeout}; a timeout too long to count in nanoseconds means
     * "forever". An interrupted thread gets {@link InterruptedException} even with a zero or negative timeout.
     *
     * @param timeout how long to wait for an item; zero or negative: not at all
     * @param unit    the unit of {@code timeout}
     * @return the item, or null if still empty after the timeout
     * @throws InterruptedException if interrupted before or while waiting; nothing was taken
     */
    @Override
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        throwIfInterrupted();
        return receiveItem(Deadlines.after(timeout, unit));
    }

    /**
     * Timed calls check the interrupt status first, as {@code LinkedBlockingQueue}'s do (they take their lock
     * interruptibly): a zero or negative timeout does not hide an interrupt.
     */
    private static void throwIfInterrupted() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    @Override
    public E poll() {
        try {
            return receiveItem(Deadlines.after(0));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Takes one message into {@code dst} (at its position), waiting as long as the queue is empty;
     * zero-copy from shared memory into the buffer.
     *
     * @param dst the buffer that receives the message at its position
     * @return the message length
     * @throws java.nio.BufferOverflowException if it does not fit; the message stays in the queue
     * @throws InterruptedException if interrupted while waiting
     */
    public int takeBytes(ByteBuffer dst) throws InterruptedException {
        return pollBytes(dst, Deadlines.FOREVER);
    }

    /**
     * Takes one message into {@code dst} if one arrives within {@code timeout}.
     *
     * @param dst the buffer that receives the message at its position
     * @param timeout the longest wait; zero or negative does not wait
     * @return the message length, or -1 on timeout
     * @throws java.nio.BufferOverflowException if it does not fit; the message stays in the queue
     * @throws InterruptedException if interrupted while waiting
     */
    public int pollBytes(ByteBuffer dst, Duration timeout) throws InterruptedException {
        return pollBytes(dst, Deadlines.after(timeout));
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
     * @param reader called once with the message in place
     * @param timeout the longest wait; zero or negative does not wait
     * @return true if a message was read, false on timeout
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean read(MessageReader reader, Duration timeout) throws InterruptedException {
        return receive(reader::read, Deadlines.after(timeout));
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
    boolean receive(Ring.Sink sink, long deadline) throws InterruptedException {
        return path.receive(sink, deadline);
    }

    @Override
    public E peek() {
        Object[] item = new Object[1];
        path.peek(message -> item[0] = codec.decode(message));
        @SuppressWarnings("unchecked")
        E e = (E) item[0];
        return e;
    }

    // ------------------------------------------------------------------ size and state

    /** {@return the number of messages put (or being put) and not yet taken, exact when read} */
    public int qsize() {
        file.enter();
        try {
            return ring.size();
        } finally {
            file.exit();
        }
    }

    /** {@return whether {@link #qsize()} is 0} */
    public boolean empty() {
        return qsize() == 0;
    }

    /** {@return whether a put of the smallest message would have to wait now} */
    public boolean full() {
        file.enter();
        try {
            return ring.isFull();
        } finally {
            file.exit();
        }
    }

    @Override
    public int size() {
        return qsize();
    }

    @Override
    public boolean isEmpty() {
        return empty();
    }

    /**
     * How many more messages fit now. With a {@code maxSize}, that many minus those queued (capped by the
     * ring's free space, which is larger unless messages are big). A queue bounded by bytes only answers with
     * an estimate: how many one-slot messages (up to {@code slotSize - 8} bytes each) its free slots would
     * hold; larger messages take more. Positive when empty, smaller as it fills, back to the same value when
     * drained. Exact when read; others may change it at once.
     *
     * @return the estimate, at most {@link Integer#MAX_VALUE}
     */
    @Override
    public int remainingCapacity() {
        long free = ring.freeSlots();
        long max = ring.maxSize();
        if (max > 0) {
            free = Math.min(free, Math.max(0, max - ring.size()));
        }
        return (int) Math.min(Integer.MAX_VALUE, free);
    }

    /** {@return the maximum number of messages (Python's {@code maxsize}), or 0 if bounded by bytes only} */
    public int maxSize() {
        return (int) ring.maxSize();
    }

    /** {@return the largest message stored in the ring itself; larger ones go through a side file} */
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

    // ------------------------------------------------------------------ whole-queue views (weakly consistent)

    /**
     * Returns a weakly consistent iterator over the queued messages, in queue order, as
     * {@link java.util.concurrent.LinkedBlockingQueue}'s: it returns the messages queued when it was created
     * or later, each at most once, and never throws {@link java.util.ConcurrentModificationException}. It is
     * honest across processes: each step looks under the consumer lock, so a message another process took
     * since is skipped. See {@link QueueIterator} for when exactly a message is read, and for
     * {@link Iterator#remove()}.
     *
     * @return the iterator
     */
    @Override
    public Iterator<E> iterator() {
        file.ensureOpen();
        return new QueueIterator<>(this);
    }

    /**
     * A weakly consistent, late-binding spliterator ({@link Spliterator#ORDERED}, {@link Spliterator#NONNULL},
     * {@link Spliterator#CONCURRENT}) over {@link #iterator()}; {@code forEach} and {@code stream()} use it.
     *
     * @return the spliterator
     */
    @Override
    public Spliterator<E> spliterator() {
        return Spliterators.spliteratorUnknownSize(iterator(),
                Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.CONCURRENT);
    }

    /**
     * Whether a queued message equals {@code o} after decoding. Equality is the decoded item's
     * {@code equals}, except that arrays compare by content ({@link Objects#deepEquals}): for
     * {@link io.mmipc.codec.Codecs#bytes()} two {@code byte[]} are equal when their bytes are;
     * {@link io.mmipc.codec.Codecs#byteBuffer()} compares remaining bytes ({@link ByteBuffer#equals});
     * strings and boxed numbers by value; {@code serializable} codecs by the class's own {@code equals}.
     *
     * @param o the item to look for; null is never contained
     * @return whether some queued message equals it, at the moment it was read
     */
    @Override
    public boolean contains(Object o) {
        if (o == null) {
            return false;
        }
        for (E item : this) {
            if (Objects.deepEquals(o, item)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Removes the first queued message equal to {@code o} (equality as for {@link #contains}), wherever it is
     * in the queue. Crash-safe: a process killed during the removal leaves the message either queued or
     * removed, and {@link #qsize()} exact; consumers skip it without losing their place. In a joinable queue it
     * counts as a task done. A message larger than {@link #maxInlineMessage()} has its side file deleted.
     *
     * <p>Its place under {@code maxSize} is free at once; its bytes in the ring only once the head reaches it
     * (a removal at the head, or the take before it, moves the head past every removed record there). So a
     * queue bounded by bytes, whose head message stays while others behind it come and go by removal, can be
     * full ({@link #remainingCapacity()} 0) with few messages queued until the head moves.
     *
     * @param o the item to remove; null removes nothing
     * @return whether a message was removed
     */
    @Override
    public boolean remove(Object o) {
        if (o == null) {
            return false;
        }
        file.ensureOpen();
        QueueIterator<E> it = new QueueIterator<>(this);
        while (it.hasNext()) {
            if (Objects.deepEquals(o, it.next()) && it.removeLast()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The queued messages, in queue order, as of a weakly consistent iteration.
     *
     * @return a new array of the messages
     */
    @Override
    public Object[] toArray() {
        return snapshot().toArray();
    }

    /**
     * The queued messages, in queue order, in {@code a} if they fit (followed by a null if room remains, as
     * {@link java.util.Collection#toArray(Object[])} specifies) or in a new array of its type.
     *
     * @param a   the array to fill, if large enough
     * @param <T> the array's component type
     * @return the array
     * @throws ArrayStoreException  if an item is not a {@code T}
     * @throws NullPointerException if {@code a} is null
     */
    @Override
    public <T> T[] toArray(T[] a) {
        Objects.requireNonNull(a, "a");
        return snapshot().toArray(a);
    }

    private List<E> snapshot() {
        List<E> items = new ArrayList<>();
        forEach(items::add);
        return items;
    }

    /** The next queued message at or after {@code cursor}, for {@link QueueIterator}; null if none. */
    RecordScanner.Found scanNext(long cursor) {
        file.enter();
        try {
            return scanner.next(cursor);
        } finally {
            file.exit();
        }
    }

    /** Whether a message an iteration found has been taken by a consumer since, for {@link QueueIterator}. */
    boolean takenSince(RecordScanner.Found found) {
        return scanner.taken(found.position());
    }

    /** Decodes a copy of a message's bytes. */
    E decodeCopy(ByteBuffer payload) {
        return codec.decode(payload);
    }

    /** Removes the message at a position an iteration returned, if still queued; for {@link QueueIterator}. */
    boolean removeAt(long position) {
        file.enter();
        try {
            if (!scanner.remove(position)) {
                return false;
            }
        } finally {
            file.exit();
        }
        afterRemove();
        return true;
    }

    /** Hook for the joinable queue: a message removed from the middle counted as done. */
    void afterRemove() {
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
     *
     * @param immediate true to drop what is queued, false to let gets drain it first
     */
    public void shutdown(boolean immediate) {
        file.enter();
        try {
            gate.shutdown(immediate ? QueueLayout.SHUTDOWN_IMMEDIATE : QueueLayout.SHUTDOWN_DRAIN);
            if (immediate) {
                discardAll();
            }
            wakeEveryone();
        } finally {
            file.exit();
        }
    }

    /** Discards everything queued (for an immediate shutdown). */
    void discardAll() {
        while (path.discardOne()) {
            afterDiscard();
        }
    }

    /** Hook for the joinable queue: a discarded message counts as done. */
    void afterDiscard() {
    }

    void wakeEveryone() {
        ring.wakeAll();
    }

    /** {@return whether {@link #shutdown} was called in any process} */
    public boolean isShutdown() {
        file.enter();
        try {
            return shutdownState() != QueueLayout.SHUTDOWN_OPEN;
        } finally {
            file.exit();
        }
    }

    int shutdownState() {
        return gate.shutdownState();
    }

    /** {@return the queue's name as given to the builder, with its kind: {@code queue 'jobs'}} */
    public String label() {
        return file.label();
    }

    /** {@return the file the queue lives in} */
    public Path path() {
        return file.path();
    }

    /** {@return the codec items go through (lets {@code io.mmipc.process} reopen this queue in a child)} */
    public Codec<E> codec() {
        return codec;
    }

    /** Detaches this handle (other handles and processes are unaffected). Idempotent. */
    @Override
    public void close() {
        file.close(this::wakeEveryone);
    }

    /**
     * Removes the queue's name; processes that have it open (this handle included) keep using it, spilled
     * messages included, until they close it. The side files go when the last handle is closed.
     *
     * @throws IOException if the name cannot be removed
     */
    public void unlink() throws IOException {
        file.unlink();
    }

    /**
     * The queued messages in {@link java.util.AbstractCollection#toString()}'s form, {@code "[a, b]"}, from a
     * weakly consistent iteration. Bounded for huge queues: after {@value #TO_STRING_MAX_ITEMS} messages, or
     * once the text passes {@value #TO_STRING_MAX_CHARS} characters, it ends with {@code ", ...]"}. A closed
     * handle gives its label and {@code [closed]}.
     *
     * @return the text
     */
    @Override
    public String toString() {
        if (file.isClosed()) {
            return file.label() + " [closed]";
        }
        StringBuilder sb = new StringBuilder("[");
        int n = 0;
        try {
            for (Iterator<E> it = iterator(); it.hasNext(); ) {
                if (n > 0) {
                    sb.append(", ");
                }
                if (n == TO_STRING_MAX_ITEMS || sb.length() > TO_STRING_MAX_CHARS) {
                    sb.append("...");
                    break;
                }
                sb.append(it.next());
                n++;
            }
        } catch (IllegalStateException e) {
            return file.label() + " [closed]";
        }
        return sb.append(']').toString();
    }
}
