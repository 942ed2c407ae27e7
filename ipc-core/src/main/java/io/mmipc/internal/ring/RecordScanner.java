package io.mmipc.internal.ring;

import io.mmipc.internal.mem.MappedMemory;

import java.nio.ByteBuffer;

import static io.mmipc.internal.ring.QueueLayout.FREE;
import static io.mmipc.internal.ring.QueueLayout.POS_MASK;
import static io.mmipc.internal.ring.QueueLayout.PUBLISHED;
import static io.mmipc.internal.ring.QueueLayout.ctlSeq;
import static io.mmipc.internal.ring.QueueLayout.ctlSpan;
import static io.mmipc.internal.ring.QueueLayout.ctlState;
import static io.mmipc.internal.ring.QueueLayout.pos;

/**
 * Reads the queued messages between head and tail in queue order, one at a time, and removes one from the
 * middle: the ring side of a queue's iterator, {@code contains}, {@code toArray} and {@code remove(Object)}.
 *
 * <p>Each call takes the consumer lock for one step, so what it sees is exact at that moment in every process:
 * a record behind the head was taken (by any process) and is never returned; records flagged dead or removed
 * are skipped; a record still being written by a live producer is skipped too (its put has not returned:
 * a weakly consistent view may miss a message added after it started). A record is named by its slot
 * position, which increases for the lifetime of the queue (modulo 2^40), so "the record an iterator returned"
 * stays well defined however many messages pass.
 *
 * <p>Payloads are copied out under the lock and decoded by the caller after it is released: no codec or
 * {@code equals} runs while other consumers wait, and a callback that used the queue cannot deadlock on it.
 */
public final class RecordScanner {
    /** No record: {@link #next} starts at the head; {@link #remove} found nothing. */
    public static final long NONE = -1;
    /** {@link Removal#removeLocked} result for a message that had no side file. */
    static final long NOT_SPILLED = -2;

    private final Ring ring;
    private final Spill spill;

    /**
     * @param ring  the queue's ring
     * @param spill the queue's side files
     */
    public RecordScanner(Ring ring, Spill spill) {
        this.ring = ring;
        this.spill = spill;
    }

    /** A queued message found by {@link #next}. */
    public static final class Found {
        private final long position;
        private final long after;
        private final ByteBuffer payload;
        private final RuntimeException unreadable;

        Found(long position, long after, ByteBuffer payload, RuntimeException unreadable) {
            this.position = position;
            this.after = after;
            this.payload = payload;
            this.unreadable = unreadable;
        }

        /** @return the record's position: pass it to {@link #remove} */
        public long position() {
            return position;
        }

        /** @return the position of the record after it: pass it to {@link #next} for the following message */
        public long after() {
            return after;
        }

        /**
         * @return a heap copy of the payload, position 0 to limit
         * @throws RuntimeException why the message can never be read (its side file is gone or of the wrong
         *                          size), naming the file; a take will remove it
         */
        public ByteBuffer payload() {
            if (unreadable != null) {
                throw unreadable;
            }
            return payload;
        }
    }

    /**
     * @return whether position {@code p} is at or after position {@code h} (both modulo 2^40; meaningful for
     *         positions less than 2^39 apart, as a record position and the head are while the record is queued)
     */
    static boolean atOrAfter(long p, long h) {
        return ((p - h) & POS_MASK) < (POS_MASK >>> 1);
    }

    /**
     * Finds the first queued message at or after {@code from} (or after the head, if that is further on).
     *
     * @param from {@link #NONE} for the first message, else {@link Found#after()} of the one before
     * @return the message, or null if there is none now
     * @throws java.io.UncheckedIOException if a side file cannot be read
     */
    public Found next(long from) {
        MappedMemory memory = ring.memory();
        ring.lockUninterruptibly();
        try {
            long h = ring.headPosition();
            // A record start between head and tail is still one (records never change bounds once claimed,
            // and the tail is where the next claim starts); one behind the head was taken. Bounding by the tail
            // too keeps a cursor left idle for 2^39 positions from passing for one ahead of the head.
            boolean current = from != NONE && ((from - h) & POS_MASK) <= ((ring.tailPosition() - h) & POS_MASK);
            long at = current ? from & POS_MASK : h;
            while (true) {
                long c = ring.controlWord(at);
                int state = ctlState(c);
                if (ctlSeq(c) != (at & POS_MASK) || state == FREE) {
                    return null;
                }
                long after = (at + Math.max(1, ctlSpan(c))) & POS_MASK;
                if (state == PUBLISHED) {
                    long offset = ring.recordOffset(at);
                    int flags = memory.getInt(offset + QueueLayout.RECORD_FLAGS);
                    if ((flags & (QueueLayout.FLAG_DEAD | QueueLayout.FLAG_REMOVED)) == 0) {
                        return found(memory, at & POS_MASK, after, offset, flags);
                    }
                }
                at = after;
            }
        } finally {
            ring.consumerLock().release();
        }
    }

    /** A copy of the record's payload (a side file that cannot be read now throws; one that never can is told). */
    private Found found(MappedMemory memory, long position, long after, long offset, int flags) {
        int length = memory.getInt(offset + QueueLayout.RECORD_LENGTH);
        if ((flags & QueueLayout.FLAG_SPILLED) != 0) {
            try {
                return new Found(position, after, spill.read(memory.getLong(offset + QueueLayout.RECORD_HEADER), length),
                        null);
            } catch (Ring.Undeliverable e) {
                return new Found(position, after, null, e.failure());
            }
        }
        ByteBuffer out = ByteBuffer.allocate(length);
        out.put(memory.view(offset + QueueLayout.RECORD_HEADER, length));
        return new Found(position, after, out.flip(), null);
    }

    /**
     * Whether a consumer (in any process) has taken the record at {@code position} since it was found: one
     * volatile read, no lock.
     *
     * @param position a position returned by {@link #next}
     * @return true if the head has passed it
     */
    public boolean taken(long position) {
        return !atOrAfter(position, ring.headPosition());
    }

    /**
     * Removes the message at {@code position} if it is still queued (see {@link Removal}); a spilled message's
     * side file is deleted.
     *
     * @param position a position returned by {@link #next}
     * @return true if it was removed; false if it had been taken or removed since
     */
    public boolean remove(long position) {
        long spilled;
        ring.lockUninterruptibly();
        try {
            spilled = Removal.removeLocked(ring, position);
            if (spilled != NONE) {
                Removal.passRemovedAtHead(ring);
            }
        } catch (RuntimeException | Error e) {
            // Only a dead owner's successor recovers on its own: finish a removal this thread left half-done.
            Removal.recover(ring);
            throw e;
        } finally {
            ring.consumerLock().release();
        }
        if (spilled != NONE) {
            // A removal frees a place under maxsize at once (the head's count), and slots if the head moved.
            ring.notFull().signalAll();
        }
        if (spilled >= 0) {
            spill.delete(spilled);
        }
        return spilled != NONE;
    }
}
