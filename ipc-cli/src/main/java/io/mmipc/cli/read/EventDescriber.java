package io.mmipc.cli.read;

import io.mmipc.internal.sync.EventLayout;

import java.util.List;

/** Events: set or clear (see {@link EventLayout}). */
final class EventDescriber implements Describer {
    @Override
    public int version() {
        return EventLayout.VERSION;
    }

    @Override
    public void describe(ObjectFile file, Header header, List<RegistryEntry> registry, Description out) {
        boolean set = file.getLong(EventLayout.FLAG) != 0;
        out.body().add("set", set).add("changedEvent", out.event(file, EventLayout.CHANGED_EVENT, "event changed"));
        out.summary().add("state", set ? "set" : "clear");
    }
}
