package io.mmipc.internal.ring;

import io.mmipc.WaitMode;
import io.mmipc.internal.file.Directories;
import io.mmipc.internal.file.HeaderLayout;
import io.mmipc.internal.file.Registry;
import io.mmipc.internal.file.SharedFile;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.sync.RobustMutex;
import io.mmipc.internal.wait.EventCount;

import java.nio.ByteBuffer;

import static io.mmipc.internal.ring.QueueLayout.CLAIMED;
import static io.mmipc.internal.ring.QueueLayout.FREE;
import static io.mmipc.internal.ring.QueueLayout.PADDING;
import static io.mmipc.internal.ring.QueueLayout.POS_MASK;
import static io.mmipc.internal.ring.QueueLayout.PUBLISHED;
import static io.mmipc.internal.ring.QueueLayout.CNT_MASK;
import static io.mmipc.internal.ring.QueueLayout.ctl;
import static io.mmipc.internal.ring.QueueLayout.ctlProducer;
import static io.mmipc.internal.ring.QueueLayout.ctlSeq;
import static io.mmipc.internal.ring.QueueLayout.ctlSpan;
import static io.mmipc.internal.ring.QueueLayout.ctlState;
import static io.mmipc.internal.ring.QueueLayout.count;
import static io.mmipc.internal.ring.QueueLayout.pos;
import static io.mmipc.internal.ring.QueueLayout.word;

/**
 * The multi-producer, multi-consumer slot ring of a queue (layout: {@link QueueLayout}).
 *
 * <p>Producers are lock-free: a producer claims a record by one CAS of the control word at the tail slot,
 * which records its registry entry, then advances the tail (any thread that sees the claim helps). So a
 * producer killed after claiming leaves a claim that names it, which consumers recognise as dead and skip;
 * nothing is lost that a returned {@code put} acknowledged, because a record becomes visible only by the
 * volatile store that publishes it.
 *
 * <p>Consumers take one record at a time under a robust consumer lock: the head moves only after a record
 * was copied out, and moving it is the only write a take makes to the ring, so a consumer killed mid-take
 * either leaves the record for the next consumer or has taken it; never a half-freed record.
 */
public final class Ring {
    /** {@link #take} result: a message was delivered. */
    public static final int TAKEN = 1;
    /** {@link #take} result: nothing to take. */
    public static final int EMPTY = 0;
    /** {@link #take} result: the next record is still being written by a live producer. */
    public static final int IN_PROGRESS = -1;
    /** {@link #take(Sink, Spill, long)} result: another consumer held the consumer lock until the deadline. */
    public static final int LOCK_BUSY = -2;

    private static final long STUCK_CHECK_NANOS = 1_000_000L;
    /** Claim attempts before {@link #claim} reports "full" (each failed one means another producer progressed). */
    private static final int MAX_CLAIM_ATTEMPTS = 1 << 16;
    /**
     * Longest single wait for the consumer lock in {@link #takeWithinRecheck}, which then reports
     * {@link #LOCK_BUSY} so that its caller re-checks its handle (a close) before waiting again.
     */
    private static final long LOCK_RECHECK_NANOS = 100_000_000L;

    private final SharedFile file;
    private final String label;
    private final MappedMemory memory;
    private final int base;
    private final int tailOffset;
    private final int headOffset;
    private final int ctlBase;
    private final long slots;
    private final long mask;
    private final int slotSize;
    private final int slotShift;
    private final long maxSize;
    private final long dataOffset;
    private final int maxInlineSlots;
    private final boolean joinable;
    private final int self;
    private final RobustMutex consumerLock;
    private final EventCount notEmpty;
    private final EventCount notFull;
    private final EventCount lockReleased;
    private final RecordCheck records;
    /** A possibly stale copy of the head position (only ever behind the real one): see {@link #hasRoom}. */
    private long headCache;
    private volatile long stuckPos = -1;
    private volatile long stuckSince;
    /** The last claim found dead (a control word names its position, owner and span: unique). */
    private volatile long deadClaim = -1;

    /** Receives a taken message. A take or peek given a null sink does not read the payload at all. */
    @FunctionalInterface
    public interface Sink {
        /**
         * Reads one message; the buffer is valid only during the call. If it throws, the message stays in
         * the queue, unless it throws {@link Undeliverable}.
         *
         * @param message the payload, position 0 to limit
         */
        void accept(ByteBuffer message);
    }

    /**
     * Thrown by a {@link Sink} for a message that can never be delivered (its bytes cannot be decoded): a
     * take removes it like a record of a dead producer (in a joinable queue it counts as done) and then
     * throws the cause; a peek leaves it and throws the cause.
     */
    public static final class Undeliverable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** @param cause why the message cannot be delivered; thrown to the caller of take or peek */
        public Undeliverable(RuntimeException cause) {
            super(cause.getMessage(), cause, false, false);
        }

        /** @return the exception to report */
        public RuntimeException failure() {
            return (RuntimeException) getCause();
        }
    }

    /**
     * A queue's ring: the one ring of a queue file, at {@link io.mmipc.internal.file.HeaderLayout#BODY_OFFSET},
     * with the parameters of the file's header.
     *
     * @param file the opened queue file (parameters already validated)
     * @param mode the resolved wait mode
     */
    public Ring(SharedFile file, WaitMode mode) {
        this(file, file.memory(), HeaderLayout.BODY_OFFSET, file.param(QueueLayout.P_SLOTS),
                (int) file.param(QueueLayout.P_SLOT_SIZE), file.param(QueueLayout.P_MAX_SIZE),
                (file.param(QueueLayout.P_FLAGS) & QueueLayout.FLAG_JOINABLE) != 0, file.entry(), mode,
                file.label());
    }

    /**
     * A ring at any 128-aligned base of a mapping.
     *
     * @param file     the file (may be null for a cleanup-only ring)
     * @param memory   the mapping
     * @param base     offset of the ring's first word
     * @param slots    number of slots (power of two, validated)
     * @param slotSize slot size (power of two, validated)
     * @param maxSize  maximum messages, 0 for none
     * @param joinable whether tasks are counted
     * @param self     this process's registry entry (-1 if it will not produce)
     * @param mode     the resolved wait mode
     * @param label    how logs name the object, e.g. {@code queue 'jobs'}
     */
    public Ring(SharedFile file, MappedMemory memory, int base, long slots, int slotSize, long maxSize,
                boolean joinable, int self, WaitMode mode, String label) {
        this.file = file;
        this.label = label;
        this.memory = memory;
        this.base = base;
        this.tailOffset = base + QueueLayout.TAIL;
        this.headOffset = base + QueueLayout.HEAD;
        this.ctlBase = base + QueueLayout.CTL;
        this.slots = slots;
        this.mask = slots - 1;
        this.slotSize = slotSize;
        this.slotShift = Integer.numberOfTrailingZeros(slotSize);
        this.maxSize = maxSize;
        this.joinable = joinable;
        this.dataOffset = base + QueueLayout.dataOffset(slots);
        this.maxInlineSlots = (int) Math.min(slots / 2, QueueLayout.MAX_SPAN);
        this.self = self;
        this.lockReleased = new EventCount(memory, base + QueueLayout.CONSUMER_LOCK_EVENT, mode);
        this.consumerLock = new RobustMutex(memory, base + QueueLayout.CONSUMER_LOCK, lockReleased,
                label + " consumer lock");
        this.notEmpty = new EventCount(memory, base + QueueLayout.NOT_EMPTY_EVENT, mode);
        this.notFull = new EventCount(memory, base + QueueLayout.NOT_FULL_EVENT, mode);
        this.records = new RecordCheck(this);
    }

    /**
     * A cleanup-only ring over a queue file's mapping, before any handle exists; its parameters are checked
     * first, since the file has not been validated yet.
     *
     * @throws java.io.UncheckedIOException with an {@link io.mmipc.ObjectFileException} naming {@code path}
     *                                      if the header's ring parameters do not fit the file
     */
    static Ring forCleanup(MappedMemory memory, WaitMode mode, java.nio.file.Path path) {
        long slots = memory.getLong(HeaderLayout.paramOffset(QueueLayout.P_SLOTS));
        long slotSize = memory.getLong(HeaderLayout.paramOffset(QueueLayout.P_SLOT_SIZE));
        String problem = QueueLayout.checkRing(slots, slotSize);
        if (problem == null && memory.size() != QueueLayout.fileSize(slots, slotSize)) {
            problem = "size does not match slots=" + slots + ", slotSize=" + slotSize;
        }
        if (problem != null) {
            throw new java.io.UncheckedIOException(new io.mmipc.ObjectFileException(path,
                    "corrupt queue header: " + problem));
        }
        return new Ring(null, memory, HeaderLayout.BODY_OFFSET, slots, (int) slotSize,
                memory.getLong(HeaderLayout.paramOffset(QueueLayout.P_MAX_SIZE)),
                (memory.getLong(HeaderLayout.paramOffset(QueueLayout.P_FLAGS)) & QueueLayout.FLAG_JOINABLE) != 0,
                -1, mode, cleanupLabel("queue", path));
    }

    /**
     * @param type the object type's label, e.g. {@code queue}
     * @param path the object's file, or null
     * @return how logs name an object that a cleanup-only ring works on
     */
    public static String cleanupLabel(String type, java.nio.file.Path path) {
        if (path == null) {
            return type;
        }
        String name = path.getFileName().toString();
        if (name.endsWith(Directories.SUFFIX)) {
            name = name.substring(0, name.length() - Directories.SUFFIX.length());
        }
        return type + " '" + name + "'";
    }

    /** Writes the initial control words of a new ring at {@code base}: slot i is free for sequence i. */
    public static void initialise(MappedMemory memory, int base, long slots) {
        initialise(memory, base, slots, 0, 0);
    }

    /**
     * Writes a new ring whose positions start at {@code first} (tests use it to start near the 2^40 wrap of
     * positions). With {@code staleBy} 0, slot i is free for the first position at or after {@code first}
     * with its index; otherwise its control word is a taken record's from {@code staleBy} positions earlier,
     * as a slot's word is after that much traffic passed over it without a record starting there.
     *
     * @param memory  the mapping
     * @param base    offset of the ring's first word
     * @param slots   number of slots (power of two)
     * @param first   the first slot position (head and tail)
     * @param staleBy 0, or a multiple of {@code slots}: how old each control word is
     */
    public static void initialise(MappedMemory memory, int base, long slots, long first, long staleBy) {
        if (staleBy % slots != 0) {
            throw new IllegalArgumentException("staleBy must be a multiple of slots: staleBy=" + staleBy);
        }
        long mask = slots - 1;
        for (long i = 0; i < slots; i++) {
            long seq = first + ((i - first) & mask);
            memory.putLong(base + QueueLayout.CTL + 8 * i,
                    staleBy == 0 ? ctl(seq, FREE, 0, 0) : ctl(seq - staleBy, PUBLISHED, 0, 1));
        }
        memory.putLong(base + QueueLayout.TAIL, word(first, 0));
        memory.putLong(base + QueueLayout.HEAD, word(first, 0));
        memory.putLong(base + QueueLayout.INSTANCE, Spill.newInstance());
    }

    /** @return the event consumers sleep on */
    public EventCount notEmpty() {
        return notEmpty;
    }

    /** @return the event producers sleep on */
    public EventCount notFull() {
        return notFull;
    }

    /**
     * Wakes every thread, in any process, that sleeps on this ring (for a message, for room, or for the
     * consumer lock), so each re-checks its condition: after a shutdown, or the close of a handle.
     */
    public void wakeAll() {
        MappedMemory.fullFence();
        notEmpty.signalAll();
        notFull.signalAll();
        lockReleased.signalAll();
    }

    /** @return the largest payload stored inline; larger ones are spilled to a side file */
    public int maxInlinePayload() {
        return maxInlineSlots * slotSize - QueueLayout.RECORD_HEADER;
    }

    /** @return the number of slots a record of this payload length spans */
    int span(int payloadLength) {
        return (int) ((QueueLayout.RECORD_HEADER + (long) payloadLength + slotSize - 1) >>> slotShift);
    }

    private long ctlOffset(long pos) {
        return ctlBase + ((pos & mask) << 3);
    }

    /** @return the control word of slot position {@code pos}, read with acquire (pairs with publish) */
    long controlWord(long pos) {
        return memory.getLongAcquire(ctlOffset(pos));
    }

    /** @return the offset of the tail word */
    int tailOffset() {
        return tailOffset;
    }

    /** @return the number of slots */
    long slots() {
        return slots;
    }

    /** @return the offset of the first byte of the record at {@code pos} */
    long recordOffset(long pos) {
        return dataOffset + ((pos & mask) << slotShift);
    }

    // ---------------------------------------------------------------- producer side

    /**
     * Claims a record for a payload, lock-free.
     *
     * @param payloadLength the payload's length (at most {@link #maxInlinePayload()})
     * @return the record's position, or -1 if the queue is full (by bytes or by {@code maxsize}) or looks
     *         full (a corrupt control word at the tail; contention that lasts {@link #MAX_CLAIM_ATTEMPTS})
     */
    public long claim(int payloadLength) {
        int span = span(payloadLength);
        for (int attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++) {
            long tail = memory.getLongVolatile(tailOffset);
            long t = pos(tail);
            int index = (int) (t & mask);
            boolean pad = index + span > slots;
            int need = pad ? (int) (slots - index) : span;
            if (!hasRoom(tail, need, pad)) {
                if (memory.getLongVolatile(tailOffset) == tail) {
                    return -1;
                }
                continue;
            }
            long c = memory.getLongVolatile(ctlOffset(t));
            if (ctlSeq(c) == (t & POS_MASK)) {
                if (ctlState(c) != FREE) {
                    if (!records.spanFits(t, ctlSpan(c))) {
                        // A corrupt claim at the tail: helping would move the tail by garbage. It looks full.
                        return -1;
                    }
                    // Claimed for t already (its claimer has not advanced the tail yet): help, then retry.
                    helpAdvance(tail, c);
                    continue;
                }
            } else if (memory.getLongVolatile(tailOffset) != tail) {
                // The word may be from a later lap, claimed after the tail moved on: retry at the new tail.
                continue;
            }
            long claimed = ctl(t, pad ? PADDING : CLAIMED, self, need);
            // CAS: the claim and its owner become visible together; only one producer wins slot t.
            if (!memory.compareAndSetLong(ctlOffset(t), c, claimed)) {
                continue;
            }
            CrashPoint.reach("claim.won");
            helpAdvance(tail, claimed);
            if (!pad) {
                return t;
            }
        }
        // Every attempt lost a race or met a word it cannot use (only a corrupt file does that for this long):
        // report "full", so a timed caller waits and keeps its deadline instead of spinning here.
        return -1;
    }

    /*
     * Why a control word whose sequence is not t is free to claim at tail t, however old it is: hasRoom said
     * the head has passed t - slots, so any record that started at this index before t was taken; and a word
     * from a later lap (t + k * slots) can only be written once the tail has passed t, which the second read
     * of the tail rules out (the word was read before it). No comparison of positions is made, so a word left
     * untouched for any number of laps (an index inside fixed-size records) cannot look "ahead" after 2^39
     * positions, and positions wrap at 2^40 forever.
     */

    /**
     * Whether {@code need} slots from the tail are free (and, for a message, maxsize allows one more).
     * The head is read from shared memory only when the cached copy says "no room": it only moves forward,
     * so a stale copy errs on the safe side, and the hot path does not pull the consumer's cache line.
     */
    private boolean hasRoom(long tail, int need, boolean pad) {
        long t = pos(tail);
        if (maxSize > 0 && !pad) {
            // Acquire: the consumer freed every slot before the head it stores.
            long head = memory.getLongAcquire(headOffset);
            headCache = pos(head);
            return ((count(tail) - count(head)) & CNT_MASK) < maxSize && ((t + need - pos(head)) & POS_MASK) <= slots;
        }
        if (((t + need - headCache) & POS_MASK) <= slots) {
            return true;
        }
        // Acquire: as above.
        headCache = pos(memory.getLongAcquire(headOffset));
        return ((t + need - headCache) & POS_MASK) <= slots;
    }

    private void helpAdvance(long tail, long c) {
        long t = pos(tail);
        int state = ctlState(c);
        long next = word(t + ctlSpan(c), count(tail) + (state == PADDING ? 0 : 1));
        memory.compareAndSetLong(tailOffset, tail, next);
    }

    /** Writes the payload of a claimed record from {@code src} (position to limit). */
    public void write(long pos, ByteBuffer src) {
        long at = recordOffset(pos);
        memory.putInt(at + QueueLayout.RECORD_LENGTH, src.remaining());
        memory.putInt(at + QueueLayout.RECORD_FLAGS, 0);
        memory.putBytes(at + QueueLayout.RECORD_HEADER, src);
    }

    /** Writes a claimed record that refers to side file {@code id} holding {@code length} bytes. */
    public void writeSpillReference(long pos, long id, int length) {
        long at = recordOffset(pos);
        memory.putInt(at + QueueLayout.RECORD_LENGTH, length);
        memory.putInt(at + QueueLayout.RECORD_FLAGS, QueueLayout.FLAG_SPILLED);
        memory.putLong(at + QueueLayout.RECORD_HEADER, id);
    }

    /**
     * Publishes a claimed, written record and wakes one sleeping consumer: one message can serve one take,
     * so waking every sleeper would cost a system call and a wake-up per sleeper for nothing (with two
     * consumer processes, half of them). A woken consumer that leaves without taking passes the wake-up on
     * ({@link EventCount#signalOne}), and so does a {@code poll}, which takes nothing.
     *
     * @param pos           the record's position, from {@link #claim}
     * @param payloadLength the length it was claimed for
     */
    public void publish(long pos, int payloadLength) {
        // Volatile: publishes the record to consumers (acquire of the control word), and orders the
        // not-empty sleepers check after it.
        memory.putLongVolatile(ctlOffset(pos), ctl(pos, PUBLISHED, self, span(payloadLength)));
        notEmpty.signalOne();
    }

    /**
     * Gives up a claimed record (the send failed after claiming): publishes it marked dead, so consumers
     * skip it.
     *
     * @param pos           the record's position, from {@link #claim}
     * @param payloadLength the length it was claimed for
     */
    public void abort(long pos, int payloadLength) {
        // Only "dead": the write may have failed before it set the flags, and stale bits (a former record's
        // payload) must not read as "removed", which would make the take that passes it skip its count.
        memory.putInt(recordOffset(pos) + QueueLayout.RECORD_FLAGS, QueueLayout.FLAG_DEAD);
        publish(pos, payloadLength);
    }

    // ---------------------------------------------------------------- consumer side

    /**
     * Takes one message under the consumer lock, waiting for the lock but not for a message. If the sink
     * throws, the message stays in the queue and the exception propagates; if it throws
     * {@link Undeliverable}, the message is removed and the cause propagates.
     *
     * @param sink  receives the payload
     * @param spill reads spilled payloads
     * @return {@link #TAKEN}, {@link #EMPTY} or {@link #IN_PROGRESS}
     */
    public int take(Sink sink, Spill spill) {
        return takeOrPeek(sink, spill, true);
    }

    /**
     * Takes one message like {@link #take(Sink, Spill)}, but waits for the consumer lock only until the
     * deadline, and interruptibly: a consumer that holds the lock for long (a slow reader, a stopped
     * process) must not stretch other consumers' timeouts or make them deaf to interrupts.
     *
     * @param lockDeadlineNanos {@link System#nanoTime()} deadline for getting the lock, or {@link Long#MAX_VALUE}
     * @return {@link #TAKEN}, {@link #EMPTY}, {@link #IN_PROGRESS} or {@link #LOCK_BUSY}
     * @throws InterruptedException if interrupted while waiting for the lock
     */
    public int take(Sink sink, Spill spill, long lockDeadlineNanos) throws InterruptedException {
        if (!lock(lockDeadlineNanos)) {
            return LOCK_BUSY;
        }
        return takeLocked(sink, spill, true);
    }

    /**
     * Takes one message like {@link #take(Sink, Spill, long)}, but waits for the lock at most
     * {@link #LOCK_RECHECK_NANOS} at a time, so {@link #LOCK_BUSY} may come before the deadline: the caller
     * re-checks its handle (a close) and calls again.
     *
     * @param lockDeadlineNanos {@link System#nanoTime()} deadline for getting the lock, or {@link Long#MAX_VALUE}
     * @return {@link #TAKEN}, {@link #EMPTY}, {@link #IN_PROGRESS} or {@link #LOCK_BUSY}
     * @throws InterruptedException if interrupted while waiting for the lock
     */
    public int takeWithinRecheck(Sink sink, Spill spill, long lockDeadlineNanos) throws InterruptedException {
        int r = consumerLock.tryAcquire();
        if (r == RobustMutex.NOT_ACQUIRED) {
            // Only a contended lock pays for reading the clock.
            long soon = System.nanoTime() + LOCK_RECHECK_NANOS;
            if (!lock(lockDeadlineNanos == Long.MAX_VALUE || lockDeadlineNanos - soon > 0 ? soon : lockDeadlineNanos)) {
                return LOCK_BUSY;
            }
        } else {
            afterAcquire(r);
        }
        return takeLocked(sink, spill, true);
    }

    /**
     * Reads the next message without taking it (records left by dead producers are skipped).
     *
     * @return {@link #TAKEN} if a message was read, else {@link #EMPTY} or {@link #IN_PROGRESS}
     */
    public int peek(Sink sink, Spill spill) {
        return takeOrPeek(sink, spill, false);
    }

    private int takeOrPeek(Sink sink, Spill spill, boolean consume) {
        lockUninterruptibly();
        return takeLocked(sink, spill, consume);
    }

    /** A take or peek by the consumer-lock holder; releases the lock. */
    private int takeLocked(Sink sink, Spill spill, boolean consume) {
        boolean freed = false;
        long spilledId = -1;
        RuntimeException failure = null;
        try {
            while (true) {
                long head = memory.getLong(headOffset);
                long h = pos(head);
                // Acquire: pairs with the producer's volatile publish of this control word.
                long c = memory.getLongAcquire(ctlOffset(h));
                int state = ctlState(c);
                String corrupt = null;
                if (ctlSeq(c) != (h & POS_MASK) || state == FREE) {
                    if (pos(memory.getLongVolatile(tailOffset)) == h) {
                        return EMPTY;
                    }
                    // The tail passed h only after a claim of h wrote its control word (acquire, as above):
                    // a word that still does not say so is corrupt, and must not hide what follows it.
                    c = memory.getLongAcquire(ctlOffset(h));
                    state = ctlState(c);
                    if (ctlSeq(c) != (h & POS_MASK) || state == FREE) {
                        corrupt = "control word=0x" + Long.toHexString(c);
                        state = PUBLISHED;
                    }
                }
                boolean wasDead = false;
                if (state == CLAIMED && corrupt == null) {
                    if (!claimIsDead(h, c)) {
                        return IN_PROGRESS;
                    }
                    markDead(h, c);
                    RingEvents.claimsSkipped(memory, label, Registry.token(memory, ctlProducer(c)), 1);
                    wasDead = true;
                    c = memory.getLongAcquire(ctlOffset(h));
                    state = ctlState(c);
                }
                int span = ctlSpan(c);
                long at = recordOffset(h);
                boolean message = state == PUBLISHED;
                int flags = message && corrupt == null ? memory.getInt(at + QueueLayout.RECORD_FLAGS) : 0;
                if ((state == PADDING || wasDead || (flags & QueueLayout.FLAG_DEAD) != 0) && records.spanFits(h, span)) {
                    // A published message's claimer advanced the tail before writing; a padding's or a dead
                    // claimer may have died first (a claim resolved by the registry's reclaim, too), and slot h
                    // must not be passed while the tail still points at it: the head would overtake the tail.
                    ensureTailPast(h, c);
                }
                if (corrupt == null) {
                    corrupt = records.check(h, state, span, flags);
                }
                long next;
                // A removed record was counted by the head and counted done (joinable) when it was removed.
                boolean removed = false;
                if (corrupt != null) {
                    next = records.skipCorrupt(h, head, span, corrupt);
                    if (next == -1) {
                        return IN_PROGRESS;
                    }
                    RuntimeException error = records.corruptError(h, corrupt);
                    if (!consume) {
                        throw error;
                    }
                    failure = error;
                    flags = QueueLayout.FLAG_DEAD;
                } else {
                    removed = (flags & QueueLayout.FLAG_REMOVED) != 0;
                    next = word(h + span, count(head) + (message && !removed ? 1 : 0));
                }
                boolean deliver = message && (flags & (QueueLayout.FLAG_DEAD | QueueLayout.FLAG_REMOVED)) == 0;
                if (deliver) {
                    int length = memory.getInt(at + QueueLayout.RECORD_LENGTH);
                    boolean spilled = (flags & QueueLayout.FLAG_SPILLED) != 0;
                    long id = spilled ? memory.getLong(at + QueueLayout.RECORD_HEADER) : -1;
                    try {
                        if (sink != null) {
                            // A read that fails (an I/O error, EMFILE) or a sink that throws leaves the record
                            // whole at the head, side file included: only Undeliverable removes it.
                            sink.accept(spilled ? spill.read(id, length)
                                    : memory.view(at + QueueLayout.RECORD_HEADER, length));
                        }
                    } catch (Undeliverable e) {
                        if (!consume) {
                            throw e.failure();
                        }
                        failure = e.failure();
                        deliver = false;
                    }
                    if (!consume) {
                        return TAKEN;
                    }
                    spilledId = id;
                    if (joinable && deliver) {
                        TaskAccounting.recordTake(memory, self, h);
                    }
                }
                boolean discard = message && !deliver && !removed && joinable;
                if (discard) {
                    // A claim counts as a task when made; one that can never be delivered is done once the head
                    // moved past it. Taken first, like a delivery: a kill in between counts it once, as lost.
                    TaskAccounting.recordTake(memory, self, h);
                }
                // Volatile: the one store that commits the take. It frees the record's slots for producers
                // (acquire of head; see isFreeFor) and orders the not-full sleepers check after it. Nothing is
                // freed before it, so a consumer killed at any point either leaves the record
                // whole at the head for the next consumer, or has taken it.
                memory.putLongVolatile(headOffset, next);
                freed = true;
                if (discard) {
                    TaskAccounting.discardTaken(memory, base, self);
                }
                if (deliver || failure != null) {
                    // The head must not rest on removed records: their slots would stay taken from producers
                    // of an empty queue until the next take. (One plain read when nothing was ever removed.)
                    if (memory.getLong(base + QueueLayout.REMOVED_TOTAL) != 0) {
                        Removal.passRemovedAtHead(this);
                    }
                    return TAKEN;
                }
            }
        } finally {
            consumerLock.release();
            if (freed) {
                notFull.signalAll();
            }
            if (spilledId != -1) {
                spill.delete(spilledId);
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    /** Tells whether a take could make progress now (used as a cheap wake-up condition, without the lock). */
    public boolean headReady() {
        long h = pos(memory.getLongVolatile(headOffset));
        long c = memory.getLongAcquire(ctlOffset(h));
        if (ctlSeq(c) != (h & POS_MASK)) {
            return false;
        }
        int state = ctlState(c);
        return state == PUBLISHED || state == PADDING || (state == CLAIMED && claimIsDead(h, c));
    }

    /**
     * Whether the claim {@code c} stuck at the head {@code h} belongs to a dead producer. Its owner's liveness
     * is read (from {@code /proc}) only once the claim has been stuck for {@link #STUCK_CHECK_NANOS}, and then
     * at most that often; a verdict of "dead" is final and remembered, since both {@link #headReady()} (the
     * wake-up condition) and {@link #take} ask in turn: were the throttle to answer the second "not yet",
     * each would use up the other's check and the claim would never be skipped.
     */
    private boolean claimIsDead(long h, long c) {
        if (c == deadClaim) {
            return true;
        }
        long now = System.nanoTime();
        if (stuckPos != h) {
            stuckPos = h;
            stuckSince = now;
            return false;
        }
        if (now - stuckSince < STUCK_CHECK_NANOS) {
            return false;
        }
        stuckSince = now;
        int producer = ctlProducer(c);
        if (producer != self && !Registry.isAlive(memory, producer)) {
            deadClaim = c;
            return true;
        }
        return false;
    }

    private void markDead(long h, long c) {
        // Only "dead", never or-ed into what is there: a claimer that died before writing left the flags of
        // whatever this slot held before (often a former record's payload bytes), and a stale "removed" bit
        // would make the take that passes the record skip its count, so the size would stay one too high.
        memory.putInt(recordOffset(h) + QueueLayout.RECORD_FLAGS, QueueLayout.FLAG_DEAD);
        memory.compareAndSetLong(ctlOffset(h), c, ctl(h, PUBLISHED, ctlProducer(c), ctlSpan(c)));
    }

    private void ensureTailPast(long h, long c) {
        long tail = memory.getLongVolatile(tailOffset);
        if (pos(tail) == (h & POS_MASK)) {
            helpAdvance(tail, c);
        }
    }

    /**
     * Marks every record claimed by registry entry {@code producer} as dead (its process is gone), so the
     * entry can be reused without its claims being mistaken for the new owner's. Call under the consumer lock.
     *
     * @param producer the dead process's registry entry
     * @param token    its process token (0 if no longer known), for the log
     */
    public void resolveClaimsOf(int producer, long token) {
        int skipped = 0;
        long h = pos(memory.getLong(headOffset));
        // Follow the records rather than stopping at the tail: a producer that died between its claim and
        // its tail advance left a claim exactly at the tail.
        for (long scanned = 0; scanned < slots; ) {
            long c = memory.getLongAcquire(ctlOffset(h));
            if (ctlSeq(c) != (h & POS_MASK) || ctlState(c) == FREE) {
                break;
            }
            if (ctlState(c) == CLAIMED && ctlProducer(c) == producer) {
                markDead(h, c);
                skipped++;
            }
            int span = Math.max(1, ctlSpan(c));
            h += span;
            scanned += span;
        }
        RingEvents.claimsSkipped(memory, label, token, skipped);
    }

    /** @return messages claimed and not yet taken, exact at the moment of reading */
    public int size() {
        while (true) {
            long head = memory.getLongVolatile(headOffset);
            long tail = memory.getLongVolatile(tailOffset);
            if (memory.getLongVolatile(headOffset) == head) {
                return (int) ((count(tail) - count(head)) & CNT_MASK);
            }
        }
    }

    /** @return total messages ever claimed (modulo 2^24), the "put" side of task counting */
    long claimedCount() {
        return count(memory.getLongVolatile(tailOffset));
    }

    /**
     * @return messages claimed and not removed from the middle (modulo 2^24): the tasks that a take and
     *         {@code taskDone} must finish. The removed count is read first: every removal it counts removed a
     *         message the claimed count then includes, so the result never falls short.
     */
    long claimedNotRemovedCount() {
        long removed = memory.getLongVolatile(base + QueueLayout.REMOVED_TOTAL);
        return (claimedCount() - removed) & CNT_MASK;
    }

    /**
     * @return slots no record occupies now, which is how many more one-slot messages would fit by bytes (an
     *         estimate while others put and take: exact when read, stale after)
     */
    public long freeSlots() {
        while (true) {
            long head = memory.getLongVolatile(headOffset);
            long tail = memory.getLongVolatile(tailOffset);
            if (memory.getLongVolatile(headOffset) == head) {
                return Math.max(0, slots - ((pos(tail) - pos(head)) & POS_MASK));
            }
        }
    }

    /** @return the configured maximum number of messages, 0 for none */
    public long maxSize() {
        return maxSize;
    }

    /** @return whether a message of minimal size could not be claimed now */
    public boolean isFull() {
        long head = memory.getLongVolatile(headOffset);
        long tail = memory.getLongVolatile(tailOffset);
        if (maxSize > 0 && ((count(tail) - count(head)) & CNT_MASK) >= maxSize) {
            return true;
        }
        return ((pos(tail) + 1 - pos(head)) & POS_MASK) > slots;
    }

    /** @return the head word (position and taken count); exact for the consumer-lock holder */
    long headWord() {
        return memory.getLongVolatile(headOffset);
    }

    /** Stores the head word; only the consumer-lock holder may. */
    void storeHead(long word) {
        // Volatile: frees the slots behind the head for producers (acquire of head) and orders the not-full
        // sleepers check after it.
        memory.putLongVolatile(headOffset, word);
    }

    /** @return the head's slot position; exact for the consumer-lock holder */
    long headPosition() {
        return pos(memory.getLongVolatile(headOffset));
    }

    /** @return the tail's slot position: where the next claim starts */
    long tailPosition() {
        return pos(memory.getLongVolatile(tailOffset));
    }

    /** @return the consumer lock (for task accounting repairs) */
    public RobustMutex consumerLock() {
        return consumerLock;
    }

    /**
     * Takes the consumer lock, waiting at most until the deadline; after a dead owner, repairs its task count.
     *
     * @return whether the lock is now held
     */
    private boolean lock(long deadlineNanos) throws InterruptedException {
        int r = consumerLock.acquire(deadlineNanos);
        afterAcquire(r);
        return r != RobustMutex.NOT_ACQUIRED;
    }

    /** After a dead owner, finishes its removal in progress and repairs its task count. */
    private void afterAcquire(int r) {
        if (r == RobustMutex.ACQUIRED_FROM_DEAD) {
            Removal.recover(this);
            if (joinable) {
                TaskAccounting.repairAfterDeadConsumer(memory, base, headPosition());
            }
        }
    }

    /** Takes the consumer lock, waiting as long as it takes; the interrupt status is kept. */
    public void lockUninterruptibly() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    if (lock(Long.MAX_VALUE)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** @return the file this ring lives in (null for a cleanup-only ring) */
    public SharedFile file() {
        return file;
    }

    /** @return whether this queue counts tasks */
    public boolean joinable() {
        return joinable;
    }

    /** @return the offset of this ring's first word */
    public int base() {
        return base;
    }

    /** @return this process's registry entry (-1 for a cleanup-only ring) */
    int self() {
        return self;
    }

    /** @return the mapping */
    public MappedMemory memory() {
        return memory;
    }
}
