package io.mmipc.cli.read;

import io.mmipc.internal.pipe.PipeLayout;

import java.util.List;

/**
 * Pipes: per end, whether it was opened and which processes hold it; per ring, its depth; and whether a
 * receiving end would see end-of-file (see {@link PipeLayout}).
 */
final class PipeDescriber implements Describer {
    @Override
    public int version() {
        return PipeLayout.VERSION;
    }

    @Override
    public String[] counterNames() {
        return new String[] {"end0Handles", "end1Handles"};
    }

    @Override
    public void describe(ObjectFile file, Header header, List<RegistryEntry> registry, Description out) {
        long slots = header.param(PipeLayout.P_SLOTS);
        long slotSize = header.param(PipeLayout.P_SLOT_SIZE);
        boolean duplex = (header.param(PipeLayout.P_FLAGS) & PipeLayout.FLAG_DUPLEX) != 0;
        Fields body = out.body();
        body.add("slots", slots).add("slotSize", slotSize).add("duplex", duplex);
        String bad = RingReader.check(slots, slotSize);
        if (bad != null) {
            out.problem(bad);
            return;
        }
        if (PipeLayout.fileSize(slots, slotSize, duplex) != header.declaredSize()) {
            out.problem("file size does not match the pipe's parameters: expected="
                    + PipeLayout.fileSize(slots, slotSize, duplex) + ", header=" + header.declaredSize());
        }
        int rings = PipeLayout.rings(duplex);
        RingReader.Ring[] ring = new RingReader.Ring[rings];
        for (int r = 0; r < rings; r++) {
            ring[r] = RingReader.read(file, PipeLayout.ringBase(r, slots, slotSize), slots, slotSize,
                    "ring " + r + " ", registry, out);
            out.counter("ring" + r + "Sent", ring[r].claimed(), LayoutMirror.QUEUE_COUNT_MASK);
        }
        boolean[] gone = new boolean[2];
        Fields[] ends = new Fields[2];
        for (int e = 0; e < 2; e++) {
            boolean opened = file.getLong(PipeLayout.openedOffset(e)) != 0;
            int live = 0;
            int dead = 0;
            for (RegistryEntry entry : registry) {
                if (entry.counter(PipeLayout.counter(e)) > 0) {
                    if (entry.alive()) {
                        live++;
                    } else {
                        dead++;
                    }
                }
            }
            gone[e] = opened && live == 0;
            ends[e] = new Fields().add("opened", opened).add("epoch", file.getLong(PipeLayout.epochOffset(e)))
                    .add("holdersAlive", live).add("holdersDead", dead)
                    .add("state", !opened ? "never opened" : live > 0 ? "open" : "closed")
                    .add("receives", duplex || e == 0).add("sends", duplex || e == 1);
        }
        body.add("spillFiles", SpillFiles.describe(file.path()));
        Fields summary = out.summary();
        for (int e = 0; e < 2; e++) {
            // End e reads ring e, written by the other end: end-of-file once that end is gone and ring e is empty.
            boolean receives = duplex || e == 0;
            boolean eof = receives && gone[1 - e] && ring[e].depth() == 0;
            ends[e].add("eof", eof);
            if (receives) {
                ends[e].add("ring", ring[e].fields());
            }
            body.add("end" + e, ends[e]);
            summary.add("end" + e, ends[e].get("state") + (eof ? ", eof" : ""));
        }
        for (int r = 0; r < rings; r++) {
            summary.add("depth" + r, ring[r].depth());
        }
    }
}
