package io.mmipc.internal.pipe;

import io.mmipc.internal.file.HeaderLayout;
import io.mmipc.internal.ring.QueueLayout;

/**
 * Descriptor of a pipe file's body: all offsets in one place. The common header ({@link HeaderLayout})
 * comes first; its process registry counts, per process, the handles that process holds on each end
 * (counters {@link #COUNTER_END_0} and {@link #COUNTER_END_1}).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |         common header, registry, waiter table (HeaderLayout)  | 0 .. B = HeaderLayout.BODY_OFFSET
 *  +---------------------------------------------------------------+
 *  |          end table: one 16-byte record per end (below)        | B       end 0 at B, end 1 at B+16
 *  +---------------------------------------------------------------+
 *  |          reserved to 128                                      | B+32
 *  +---------------------------------------------------------------+
 *  |          ring 0: messages read by end 0 (QueueLayout ring)    | R0 = B+128
 *  +---------------------------------------------------------------+
 *  |          ring 1: messages read by end 1 (duplex only)         | R1 = R0 + ringSize
 *  +---------------------------------------------------------------+
 *
 *  end record (one per end):
 *  +---------------------------------------------------------------+
 *  |    opened: 0 until a process first opens this end, then 1     | +0   volatile, never reset
 *  +---------------------------------------------------------------+
 *  |    membership epoch: bumped on every open and close of a      | +8   getAndAdd
 *  |    handle on this end (and when a dead holder is reclaimed)   |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Ring {@code e} is read by end {@code e} and written by the other end: in a duplex pipe end 0 reads
 * ring 0 and writes ring 1, end 1 the reverse; a simplex pipe has only ring 0, so end 0 is receive-only
 * and end 1 send-only (Python's {@code r, w = Pipe(duplex=False)}).
 *
 * <p>Both rings name their spill files after the pipe's file and its instance id (the same in both rings,
 * {@code QueueLayout.INSTANCE}); ring 1's spill sequence starts at {@link #RING_1_SPILL_BASE} so the two
 * rings never pick the same name.
 *
 * <p>An end is <em>held</em> while some live process's registry entry has a non-zero counter for it. The
 * epoch lets a cached "who holds this end" answer be revalidated with one read; deaths do not bump it until
 * reclaimed, so cached answers also expire after a fixed time (see {@link EndWatch}).
 */
public final class PipeLayout {
    /**
     * Layout version of pipe files (2: the ring's consumer no longer frees control words; 3: an instance id,
     * the same in both rings, names the side files; see QueueLayout).
     */
    public static final int VERSION = 3;

    /** Parameter index: slots per ring (power of two). */
    public static final int P_SLOTS = 0;
    /** Parameter index: slot size in bytes (power of two). */
    public static final int P_SLOT_SIZE = 1;
    /** Parameter index: flags ({@link #FLAG_DUPLEX}). */
    public static final int P_FLAGS = 2;
    /** Flag: the pipe has two rings, both ends send and receive. */
    public static final long FLAG_DUPLEX = 1;

    /** Registry counter index: handles the process holds on end 0. */
    public static final int COUNTER_END_0 = 0;
    /** Registry counter index: handles the process holds on end 1. */
    public static final int COUNTER_END_1 = 1;

    /** Offset of the end table. */
    public static final int END_TABLE = HeaderLayout.BODY_OFFSET;
    /** Bytes per end record. */
    public static final int END_RECORD = 16;
    /** Offset in an end record of the opened flag (long). */
    public static final int END_OPENED = 0;
    /** Offset in an end record of the membership epoch (long). */
    public static final int END_EPOCH = 8;
    /** Offset of ring 0. */
    public static final int RING_0 = QueueLayout.PIPE_RING_0;
    /** First spill id of ring 1 (ring 0 starts at 0). */
    public static final long RING_1_SPILL_BASE = 1L << 48;

    /** Smallest ring capacity in bytes. */
    public static final long MIN_CAPACITY = 1024;
    /** Largest ring capacity in bytes (two rings must fit one JDK 17 mapping). */
    public static final long MAX_CAPACITY = 1L << 28;

    private PipeLayout() {
    }

    /** @return the number of rings of a pipe: 2 if duplex, else 1 */
    public static int rings(boolean duplex) {
        return duplex ? 2 : 1;
    }

    /** @return the offset of ring {@code r} (the ring read by end {@code r}) */
    public static int ringBase(int r, long slots, long slotSize) {
        return (int) (RING_0 + r * QueueLayout.ringSize(slots, slotSize));
    }

    /** @return the size of a pipe file */
    public static long fileSize(long slots, long slotSize, boolean duplex) {
        return RING_0 + rings(duplex) * QueueLayout.ringSize(slots, slotSize);
    }

    /** @return the offset of end {@code end}'s opened flag */
    public static int openedOffset(int end) {
        return END_TABLE + end * END_RECORD + END_OPENED;
    }

    /** @return the offset of end {@code end}'s membership epoch */
    public static int epochOffset(int end) {
        return END_TABLE + end * END_RECORD + END_EPOCH;
    }

    /** @return the registry counter index that counts a process's handles on end {@code end} */
    public static int counter(int end) {
        return end == 0 ? COUNTER_END_0 : COUNTER_END_1;
    }

    /**
     * Checks ring parameters.
     *
     * @return null if valid, else the problem, {@code key=value} style
     */
    public static String checkRing(long slots, long slotSize) {
        String problem = QueueLayout.checkRing(slots, slotSize);
        if (problem != null) {
            return problem;
        }
        long capacity = slots * slotSize;
        if (capacity < MIN_CAPACITY || capacity > MAX_CAPACITY) {
            return "capacity out of range [1 KiB, 256 MiB]: capacity=" + capacity;
        }
        return null;
    }
}
