package io.mmipc.cli.read;

import io.mmipc.internal.ring.QueueLayout;

import java.util.List;
import java.util.TreeMap;

/**
 * Follows a ring's records from the head, through its control words (see {@link QueueLayout}): how many
 * are published, spilled, dead (skipped: their producer died before publishing), padding, and which
 * producers hold claims still being written, alive or dead. Stops after {@link #MAX_SLOTS} slots.
 */
final class RecordScan {
    /** Most slots one scan follows, so a huge ring is summarised quickly. */
    static final long MAX_SLOTS = 1 << 16;

    private RecordScan() {
    }

    /**
     * @param file     the file
     * @param base     the ring's first byte
     * @param slots    its slot count
     * @param slotSize its slot size
     * @param headPos  the head's slot position
     * @param registry the file's registry, to name claiming producers
     * @return the counts, and {@code claimsByDeadProducers} (0 normally)
     */
    static Fields scan(ObjectFile file, int base, long slots, long slotSize, long headPos,
                       List<RegistryEntry> registry) {
        long ctlBase = base + QueueLayout.CTL;
        long dataBase = base + QueueLayout.dataOffset(slots);
        long mask = slots - 1;
        long published = 0;
        long spilled = 0;
        long dead = 0;
        long padding = 0;
        long claimsByDead = 0;
        TreeMap<Integer, Long> claimsByEntry = new TreeMap<>();
        long h = headPos;
        long scanned = 0;
        long limit = Math.min(slots, MAX_SLOTS);
        while (scanned < limit) {
            long c = file.getLong(ctlBase + ((h & mask) << 3));
            int state = LayoutMirror.ctlState(c);
            if (LayoutMirror.ctlSequence(c) != (h & LayoutMirror.QUEUE_POS_MASK) || state == QueueLayout.FREE) {
                break;
            }
            if (state == QueueLayout.PUBLISHED) {
                int flags = file.getInt(dataBase + (h & mask) * slotSize + QueueLayout.RECORD_FLAGS);
                if ((flags & QueueLayout.FLAG_DEAD) != 0) {
                    dead++;
                } else {
                    published++;
                    if ((flags & QueueLayout.FLAG_SPILLED) != 0) {
                        spilled++;
                    }
                }
            } else if (state == QueueLayout.PADDING) {
                padding++;
            } else {
                int producer = LayoutMirror.ctlProducer(c);
                claimsByEntry.merge(producer, 1L, Long::sum);
                boolean alive = registry.stream().anyMatch(e -> e.index() == producer && e.alive());
                if (!alive) {
                    claimsByDead++;
                }
            }
            int span = Math.max(1, (int) c & QueueLayout.MAX_SPAN);
            h += span;
            scanned += span;
        }
        Fields claims = new Fields();
        claimsByEntry.forEach((entry, n) -> claims.add("entry" + entry, n));
        return new Fields().add("published", published).add("spilled", spilled).add("deadSkipped", dead)
                .add("padding", padding).add("claimsInProgress", claims).add("claimsByDeadProducers", claimsByDead)
                .add("slotsScanned", scanned).add("complete", scanned < limit || limit == slots);
    }
}
