package io.mmipc.cli.read;

import io.mmipc.internal.sync.BarrierLayout;

import java.util.List;

/** Barriers: parties, arrivals, generation and phase (see {@link BarrierLayout}). */
final class BarrierDescriber implements Describer {
    @Override
    public int version() {
        return BarrierLayout.VERSION;
    }

    @Override
    public void describe(ObjectFile file, Header header, List<RegistryEntry> registry, Description out) {
        long parties = header.param(BarrierLayout.P_PARTIES);
        long state = file.getLong(BarrierLayout.STATE);
        int generation = BarrierLayout.generation(state);
        String phase = phaseName(BarrierLayout.phase(state));
        out.body().add("parties", parties).add("arrived", BarrierLayout.arrived(state))
                .add("generation", Integer.toUnsignedLong(generation)).add("phase", phase)
                .add("resetHistory", String.format("0x%016x", file.getLong(BarrierLayout.HISTORY)))
                .add("changedEvent", out.event(file, BarrierLayout.CHANGED_EVENT, "barrier changed"));
        out.summary().add("parties", parties).add("arrived", BarrierLayout.arrived(state)).add("phase", phase);
        out.counter("generations", Integer.toUnsignedLong(generation), 0xFFFF_FFFFL);
    }

    private static String phaseName(int phase) {
        switch (phase) {
            case BarrierLayout.FILLING:
                return "filling";
            case BarrierLayout.BROKEN:
                return "broken";
            case BarrierLayout.TRIPPING:
                return "tripping";
            default:
                return "unknown phase " + phase;
        }
    }
}
