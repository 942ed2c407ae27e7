package io.mmipc.internal.ring;

import io.mmipc.internal.file.HeaderLayout;

/**
 * Descriptor of a queue file's body: all offsets and word encodings of the multi-producer, multi-consumer
 * slot ring in one place. The common header ({@link HeaderLayout}) comes first.
 *
 * <pre>
 *  a ring, from base B (HeaderLayout.BODY_OFFSET for a queue; a pipe holds two rings), hot words on
 *  their own 128-byte pairs of cache lines (offsets below are relative to B):
 *  +---------------------------------------------------------------+
 *  | tail: slot position (40 bits) | messages claimed (24 bits)    | B+0    CAS by producers
 *  +---------------------------------------------------------------+
 *  | head: slot position (40 bits) | messages taken (24 bits)      | B+128  written by the consumer-lock holder
 *  +---------------------------------------------------------------+
 *  | consumer lock: owner process token (robust mutex)             | B+256
 *  +---------------------------------------------------------------+
 *  | consumer-lock released: event word                            | B+264
 *  +---------------------------------------------------------------+
 *  | not-empty event word (consumers sleep here)                   | B+384
 *  +---------------------------------------------------------------+
 *  | not-full event word (producers sleep here)                    | B+512
 *  +---------------------------------------------------------------+
 *  | shutdown state (SHUTDOWN_OPEN/DRAIN/IMMEDIATE)    | reserved  | B+640
 *  | task word: done | lost pool | pending taskDone (joinable)   | B+648  CAS'd whole: see TaskLayout
 *  | registry entry of the fold in progress (joinable)             | B+656
 *  | spill file sequence                                           | B+664
 *  | PID of the last process that left tasks unfinished (joinable) | B+672
 *  | messages removed from the middle, ever (lock holder only)     | B+680
 *  | removal in progress: its record position + 1 (0 = none)       | B+688
 *  | removal in progress: the head word when it began              | B+696
 *  | removal in progress: the removed count when it began          | B+704
 *  | instance id: random, set at creation, names the side files    | B+712
 *  +---------------------------------------------------------------+
 *  | join event word (joinable)                                    | B+768
 *  +---------------------------------------------------------------+
 *  | control words: slots x 8 bytes                                | CTL = B+896
 *  +---------------------------------------------------------------+
 *  | data: slots x slotSize bytes (128-aligned)                    | DATA
 *  +---------------------------------------------------------------+
 *
 *  control word of slot position p (one per slot, never overwritten by payload):
 *   63                      24 23 22 21        14 13          0
 *  +-------------------------+-----+------------+--------------+
 *  | sequence p (40 bits)    |state| producer   | span (slots) |
 *  +-------------------------+-----+------------+--------------+
 *   state: 0 FREE (for sequence p), 1 CLAIMED, 2 PUBLISHED, 3 PADDING
 *   producer: the claiming process's registry entry, so a dead producer's claim is recognised
 *   Only producers write control words (claim, publish; a consumer marks a dead claim PUBLISHED+DEAD).
 *   A take only moves the head; a word whose sequence is a whole number of laps behind the position
 *   being claimed is free once the head has passed that position minus one lap.
 *
 *  record, in the data of its first slot (payload continues contiguously over span slots):
 *  +---------------------------------------------------------------+
 *  | payload length (RECORD_LENGTH)| flags: SPILLED, DEAD, REMOVED |
 *  +---------------------------------------------------------------+
 *  | payload ... (or, when SPILLED, the side file's id: a long,    | +RECORD_HEADER
 *  | SPILL_REFERENCE bytes; the length is then the side file's)    |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * Positions count slots since creation, modulo 2^40; message counts are modulo 2^24, enough for the at
 * most 2^23 slots a ring may have.
 *
 * <p>Removal from the middle (see {@link Removal}): the consumer-lock holder flags the record
 * {@link #FLAG_REMOVED} and adds one to the head's message count without moving its position, so
 * {@code tail count - head count} stays the exact number of queued messages; a take passing a removed record
 * moves the head without counting it again. The three {@code REMOVAL_*} words make that two-word step
 * recoverable by whoever takes the consumer lock over from a process killed in the middle of it.
 */
public final class QueueLayout {
    /**
     * Layout version of queue files (2: consumers no longer rewrite control words; 3: an instance id names
     * the side files, records can be removed from the middle, and a joinable queue's done and lost counts
     * share one task word, {@link #TASK_COUNTS}).
     */
    public static final int VERSION = 3;

    /** Parameter index: number of slots (power of two). */
    public static final int P_SLOTS = 0;
    /** Parameter index: slot size in bytes (power of two). */
    public static final int P_SLOT_SIZE = 1;
    /** Parameter index: maximum number of messages (0 = bounded by bytes only). */
    public static final int P_MAX_SIZE = 2;
    /** Parameter index: flags ({@link #FLAG_JOINABLE}). */
    public static final int P_FLAGS = 3;
    /** Flag: the queue counts tasks for join. */
    public static final long FLAG_JOINABLE = 1;

    /** Offset of the tail word, relative to the ring's base. */
    public static final int TAIL = 0;
    /** Offset of the head word. */
    public static final int HEAD = TAIL + 128;
    /** Offset of the consumer lock word. */
    public static final int CONSUMER_LOCK = TAIL + 256;
    /** Offset of the consumer-lock-released event. */
    public static final int CONSUMER_LOCK_EVENT = TAIL + 264;
    /** Offset of the not-empty event. */
    public static final int NOT_EMPTY_EVENT = TAIL + 384;
    /** Offset of the not-full event. */
    public static final int NOT_FULL_EVENT = TAIL + 512;
    /** Offset of the shutdown state (int). */
    public static final int SHUTDOWN = TAIL + 640;
    /** Shutdown state: open. */
    public static final int SHUTDOWN_OPEN = 0;
    /** Shutdown state: puts refused, gets drain what is queued. */
    public static final int SHUTDOWN_DRAIN = 1;
    /** Shutdown state: puts refused, queued messages discarded, gets fail at once. */
    public static final int SHUTDOWN_IMMEDIATE = 2;
    /** Offset of the task word (long; joinable): done, lost pool and pending transitions (see {@link TaskLayout}). */
    public static final int TASK_COUNTS = TAIL + 648;
    /** Offset of the registry entry whose fold into the lost pool is in progress (long; joinable). */
    public static final int FOLD_ENTRY = TAIL + 656;
    /** Offset of the spill file sequence (long). */
    public static final int SPILL_SEQ = TAIL + 664;
    /** Offset of the PID of the last process whose tasks were lost (long). */
    public static final int LAST_LOST_PID = TAIL + 672;
    /** Offset of the count of messages removed from the middle (long; joinable: each counts as a task done). */
    public static final int REMOVED_TOTAL = TAIL + 680;
    /** Offset of the removal-in-progress word: the record's position + 1, or 0 when none is in progress. */
    public static final int REMOVAL_POS = TAIL + 688;
    /** Offset of the head word as it was when the removal in progress began. */
    public static final int REMOVAL_HEAD = TAIL + 696;
    /** Offset of the {@link #REMOVED_TOTAL} value when the removal in progress began. */
    public static final int REMOVAL_TOTAL = TAIL + 704;
    /**
     * Offset of the instance id (long): random, written once when the object is created, never 0; it names
     * the side files, so that an object created again under the same name never shares them (see {@link Spill}).
     */
    public static final int INSTANCE = TAIL + 712;
    /** Offset of the join event. */
    public static final int JOIN_EVENT = TAIL + 768;
    /** Offset of a pipe's first ring in its file: after the common header and the pipe's end table. */
    public static final int PIPE_RING_0 = HeaderLayout.BODY_OFFSET + 128;
    /** Offset of the control words. */
    public static final int CTL = TAIL + 896;

    /** Registry counter index (joinable): messages taken by that process, with the head it took from. */
    public static final int COUNTER_TAKE = 0;
    /** Registry counter index (joinable): tasks that process marked done, with a parity bit (see {@link TaskLayout}). */
    public static final int COUNTER_DONE = 1;

    /** Offset in a record of its payload length (int). */
    public static final int RECORD_LENGTH = 0;
    /** Offset in a record of its flags (int: {@link #FLAG_SPILLED}, {@link #FLAG_DEAD}, {@link #FLAG_REMOVED}). */
    public static final int RECORD_FLAGS = 4;
    /** Record header bytes in the first slot; the payload (or spill reference) follows. */
    public static final int RECORD_HEADER = 8;
    /** Bytes of a spill reference, the payload of a {@link #FLAG_SPILLED} record: the side file's id (long). */
    public static final int SPILL_REFERENCE = 8;
    /** Record flag: the payload is in a spill file; the record holds its id. */
    public static final int FLAG_SPILLED = 1;
    /** Record flag: the producer died (or failed) before publishing; skip it. */
    public static final int FLAG_DEAD = 2;
    /** Record flag: removed from the middle of the queue (already counted by the head); skip it. */
    public static final int FLAG_REMOVED = 4;

    /** Control state: free for its sequence. */
    public static final int FREE = 0;
    /** Control state: claimed by a producer that is writing. */
    public static final int CLAIMED = 1;
    /** Control state: published message. */
    public static final int PUBLISHED = 2;
    /** Control state: padding to the end of the ring. */
    public static final int PADDING = 3;

    /** Largest slot count. */
    public static final int MAX_SLOTS = 1 << 23;
    /** Largest span of one record, in slots. */
    public static final int MAX_SPAN = (1 << 14) - 1;
    /** Smallest slot size. */
    public static final int MIN_SLOT_SIZE = 16;
    /** Largest slot size. */
    public static final int MAX_SLOT_SIZE = 1 << 16;

    static final long POS_MASK = (1L << 40) - 1;
    static final long CNT_MASK = (1L << 24) - 1;

    private QueueLayout() {
    }

    /**
     * Checks a ring's parameters as read from a file (before anything uses them).
     *
     * @param slots    number of slots
     * @param slotSize slot size in bytes
     * @return null if valid, else the problem, {@code key=value} style
     */
    public static String checkRing(long slots, long slotSize) {
        if (slots < 2 || slots > MAX_SLOTS || Long.bitCount(slots) != 1) {
            return "slots must be a power of two in [2, 2^23]: slots=" + slots;
        }
        if (slotSize < MIN_SLOT_SIZE || slotSize > MAX_SLOT_SIZE || Long.bitCount(slotSize) != 1) {
            return "slot size must be a power of two in [16, 65536]: slotSize=" + slotSize;
        }
        return null;
    }

    /** @return the offset of the data area, relative to the ring's base, for a ring of {@code slots} slots */
    public static long dataOffset(long slots) {
        return HeaderLayout.align(CTL + 8 * slots, 128);
    }

    /** @return the bytes one ring of {@code slots} slots of {@code slotSize} bytes occupies (a multiple of 128) */
    public static long ringSize(long slots, long slotSize) {
        return HeaderLayout.align(dataOffset(slots) + slots * slotSize, 128);
    }

    /** @return the size of a queue file: the header, then one ring */
    public static long fileSize(long slots, long slotSize) {
        return HeaderLayout.BODY_OFFSET + ringSize(slots, slotSize);
    }

    /** Packs a tail or head word. */
    static long word(long pos, long count) {
        return ((pos & POS_MASK) << 24) | (count & CNT_MASK);
    }

    /** @return the slot position in a tail or head word */
    static long pos(long word) {
        return word >>> 24;
    }

    /** @return the message count in a tail or head word */
    static long count(long word) {
        return word & CNT_MASK;
    }

    /** Packs a control word. */
    static long ctl(long seq, int state, int producer, int span) {
        return ((seq & POS_MASK) << 24) | ((long) state << 22) | ((long) producer << 14) | span;
    }

    /** @return the sequence of a control word */
    static long ctlSeq(long ctl) {
        return ctl >>> 24;
    }

    /** @return the state of a control word */
    static int ctlState(long ctl) {
        return (int) (ctl >>> 22) & 3;
    }

    /** @return the producer registry entry of a control word */
    static int ctlProducer(long ctl) {
        return (int) (ctl >>> 14) & 0xFF;
    }

    /** @return the span of a control word */
    static int ctlSpan(long ctl) {
        return (int) ctl & MAX_SPAN;
    }
}
