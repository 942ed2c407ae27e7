package io.mmipc.internal.ring;

import io.mmipc.ObjectFileException;
import io.mmipc.internal.mem.MappedMemory;

import java.io.UncheckedIOException;
import java.nio.file.Path;

import static io.mmipc.internal.ring.QueueLayout.FREE;
import static io.mmipc.internal.ring.QueueLayout.PADDING;
import static io.mmipc.internal.ring.QueueLayout.POS_MASK;
import static io.mmipc.internal.ring.QueueLayout.PUBLISHED;
import static io.mmipc.internal.ring.QueueLayout.count;
import static io.mmipc.internal.ring.QueueLayout.ctlSeq;
import static io.mmipc.internal.ring.QueueLayout.ctlState;
import static io.mmipc.internal.ring.QueueLayout.pos;
import static io.mmipc.internal.ring.QueueLayout.word;

/**
 * Checks a record met at the head against the ring before it is trusted, and steps over one that is corrupt
 * (a control word, span or length that no producer writes): the take that meets it removes it and throws an
 * {@link ObjectFileException} naming the file and the field, like an undecodable message, so one corrupt
 * record never wedges the queue behind it. Only the consumer-lock holder calls it.
 */
final class RecordCheck {
    private final Ring ring;
    private final MappedMemory memory;
    private final long slots;
    private final long mask;

    RecordCheck(Ring ring) {
        this.ring = ring;
        this.memory = ring.memory();
        this.slots = ring.slots();
        this.mask = slots - 1;
    }

    /** @return whether a record of {@code span} slots starting at {@code pos} fits before the ring's end */
    boolean spanFits(long pos, int span) {
        return span >= 1 && (pos & mask) + span <= slots;
    }

    /**
     * @param h     the head position
     * @param state the control word's state
     * @param span  the control word's span
     * @param flags the record's flags (0 unless a message)
     * @return null if the record is sound, else the bad field, {@code key=value}
     */
    String check(long h, int state, int span, int flags) {
        if (!spanFits(h, span)) {
            return "span=" + span;
        }
        if (state == PADDING) {
            return (h & mask) + span == slots ? null : "padding span=" + span;
        }
        if (state != PUBLISHED || (flags & QueueLayout.FLAG_DEAD) != 0) {
            return null;
        }
        int length = memory.getInt(ring.recordOffset(h) + QueueLayout.RECORD_LENGTH);
        boolean spilled = (flags & QueueLayout.FLAG_SPILLED) != 0;
        if (length < 0 || (spilled ? span != ring.span(QueueLayout.SPILL_REFERENCE) : ring.span(length) != span)) {
            return "length=" + length + ", span=" + span + (spilled ? ", spilled" : "");
        }
        return null;
    }

    /**
     * The head word that steps over the corrupt record at {@code h}: its own span if that is sound (only its
     * length was bad), else up to the next position whose control word names it, the ring's end or the tail.
     *
     * @return the new head word, or -1 if the tail has not passed {@code h} (nothing can be stepped over yet)
     */
    long skipCorrupt(long h, long head, int span, String field) {
        long tail = memory.getLongVolatile(ring.tailOffset());
        long ahead = (pos(tail) - h) & POS_MASK;
        if (ahead == 0) {
            return -1;
        }
        long limit = Math.min(ahead, slots - (h & mask));
        long skip = limit;
        if (field.startsWith("length") && span <= limit) {
            skip = span;
        } else {
            for (long k = 1; k < limit; k++) {
                long c = ring.controlWord(h + k);
                if (ctlSeq(c) == ((h + k) & POS_MASK) && ctlState(c) != FREE) {
                    skip = k;
                    break;
                }
            }
        }
        long to = (h + skip) & POS_MASK;
        // Stepping to the tail steps over every claim counted so far; otherwise over one record.
        return word(to, to == pos(tail) ? count(tail) : count(head) + 1);
    }

    /** @return the error a take or peek throws for the corrupt record at {@code h} */
    RuntimeException corruptError(long h, String field) {
        Path path = ring.file() == null ? null : ring.file().path();
        return new UncheckedIOException(new ObjectFileException(path, "corrupt record at position=" + h + ": "
                + field));
    }
}
