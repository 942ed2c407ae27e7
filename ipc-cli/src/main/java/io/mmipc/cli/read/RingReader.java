package io.mmipc.cli.read;

import io.mmipc.internal.ring.QueueLayout;

import java.util.List;

/**
 * Reads one slot ring (a queue's, or one of a pipe's two), through {@link QueueLayout}'s offsets.
 */
final class RingReader {
    /**
     * What one ring holds now.
     *
     * @param depth   messages claimed and not yet taken
     * @param claimed messages ever claimed (modulo 2^24)
     * @param taken   messages ever taken (modulo 2^24)
     * @param deadClaims records claimed by producers that died before publishing them
     * @param fields  every field of the ring
     */
    record Ring(long depth, long claimed, long taken, long deadClaims, Fields fields) {
    }

    private RingReader() {
    }

    /**
     * Reads a ring and its event words.
     *
     * @param file     the file
     * @param base     the ring's first byte
     * @param slots    its slot count
     * @param slotSize its slot size
     * @param prefix   prefix of its event names ({@code ""} for a queue, {@code "ring 0 "} in a pipe)
     * @param registry the file's registry, to tell whether claiming producers are alive
     * @param out      where the event names go
     * @return the ring's state
     */
    static Ring read(ObjectFile file, int base, long slots, long slotSize, String prefix,
                     List<RegistryEntry> registry, Description out) {
        long tail = file.getLong(base + QueueLayout.TAIL);
        long head = file.getLong(base + QueueLayout.HEAD);
        long claimed = LayoutMirror.count(tail);
        long taken = LayoutMirror.count(head);
        long depth = (claimed - taken) & LayoutMirror.QUEUE_COUNT_MASK;
        long usedSlots = (LayoutMirror.position(tail) - LayoutMirror.position(head)) & LayoutMirror.QUEUE_POS_MASK;
        Fields f = new Fields();
        f.add("depth", depth);
        f.add("slotsUsed", usedSlots);
        f.add("tail", new Fields().add("position", LayoutMirror.position(tail)).add("claimed", claimed));
        f.add("head", new Fields().add("position", LayoutMirror.position(head)).add("taken", taken));
        f.add("consumerLock", Processes.describe(file, file.getLong(base + QueueLayout.CONSUMER_LOCK)));
        f.add("spillSequence", file.getLong(base + QueueLayout.SPILL_SEQ));
        Fields events = f.section("events");
        events.add("consumerLockReleased", out.event(file, base + QueueLayout.CONSUMER_LOCK_EVENT,
                prefix + "consumer lock released"));
        events.add("notEmpty", out.event(file, base + QueueLayout.NOT_EMPTY_EVENT, prefix + "not empty"));
        events.add("notFull", out.event(file, base + QueueLayout.NOT_FULL_EVENT, prefix + "not full"));
        if (usedSlots > slots) {
            out.problem(prefix + "ring positions out of range: slotsUsed=" + usedSlots + ", slots=" + slots);
        }
        // The last byte of the data area must be inside the file.
        long end = base + QueueLayout.ringSize(slots, slotSize);
        if (end > file.size()) {
            throw new ShortFileException(end - 8, 8, file.size());
        }
        Fields records = RecordScan.scan(file, base, slots, slotSize, LayoutMirror.position(head), registry);
        f.add("records", records);
        return new Ring(depth, claimed, taken, (long) records.get("claimsByDeadProducers"), f);
    }

    /**
     * Checks ring parameters read from a header.
     *
     * @param slots    the slot count
     * @param slotSize the slot size
     * @return null if plausible, else the problem
     */
    static String check(long slots, long slotSize) {
        if (slots < 2 || slots > QueueLayout.MAX_SLOTS || Long.bitCount(slots) != 1) {
            return "bad slot count: slots=" + slots;
        }
        if (slotSize < QueueLayout.MIN_SLOT_SIZE || slotSize > QueueLayout.MAX_SLOT_SIZE
                || Long.bitCount(slotSize) != 1) {
            return "bad slot size: slotSize=" + slotSize;
        }
        return null;
    }
}
