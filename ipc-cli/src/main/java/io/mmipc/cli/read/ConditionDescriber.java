package io.mmipc.cli.read;

import io.mmipc.internal.sync.ConditionLayout;

import java.util.List;

/** Conditions: their lock, waiting threads and pending signals (see {@link ConditionLayout}). */
final class ConditionDescriber implements Describer {
    @Override
    public int version() {
        return ConditionLayout.VERSION;
    }

    @Override
    public String[] counterNames() {
        return new String[] {"waiting"};
    }

    @Override
    public void describe(ObjectFile file, Header header, List<RegistryEntry> registry, Description out) {
        long state = file.getLong(ConditionLayout.STATE);
        long sequence = file.getLong(ConditionLayout.SEQUENCE);
        out.body().add("lock", LockBlockReader.read(file, ConditionLayout.LOCK, out, true))
                .add("waiters", ConditionLayout.waiters(state)).add("signals", ConditionLayout.signals(state))
                .add("notifySequence", sequence)
                .add("notifiedEvent", out.event(file, ConditionLayout.NOTIFIED_EVENT, "notified"));
        out.summary().add("waiters", ConditionLayout.waiters(state)).add("signals", ConditionLayout.signals(state));
        out.counter("notifications", sequence, -1);
        if (ConditionLayout.signals(state) > ConditionLayout.waiters(state)) {
            out.problem("more signals than waiters: signals=" + ConditionLayout.signals(state)
                    + ", waiters=" + ConditionLayout.waiters(state));
        }
    }
}
