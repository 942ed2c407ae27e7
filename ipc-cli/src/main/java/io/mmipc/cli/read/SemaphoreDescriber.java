package io.mmipc.cli.read;

import io.mmipc.internal.proc.ProcessIdentity;
import io.mmipc.internal.sync.SemaphoreLayout;

import java.util.List;

/** Semaphores, plain and bounded: permits, bound, permits held per process (see {@link SemaphoreLayout}). */
final class SemaphoreDescriber implements Describer {
    @Override
    public int version() {
        return SemaphoreLayout.VERSION;
    }

    @Override
    public String[] counterNames() {
        return new String[] {"held"};
    }

    @Override
    public void describe(ObjectFile file, Header header, List<RegistryEntry> registry, Description out) {
        long bound = header.param(SemaphoreLayout.P_BOUND);
        long value = file.getLong(SemaphoreLayout.VALUE);
        Fields body = out.body();
        body.add("permits", value)
                .add("initial", header.param(SemaphoreLayout.P_INITIAL))
                .add("bound", bound == SemaphoreLayout.UNBOUNDED ? null : bound)
                .add("reclaimDeadHolders", (header.param(SemaphoreLayout.P_FLAGS) & SemaphoreLayout.FLAG_RECLAIM) != 0)
                .add("returned", file.getLong(SemaphoreLayout.RETURNED))
                .add("releasedEvent", out.event(file, SemaphoreLayout.RELEASED_EVENT, "permit released"));
        StringBuilder held = new StringBuilder();
        for (RegistryEntry e : registry) {
            long n = e.counter(SemaphoreLayout.COUNTER_HELD);
            if (n != 0) {
                held.append(held.length() == 0 ? "" : " ").append(ProcessIdentity.pid(e.token())).append(':').append(n)
                        .append(e.alive() ? "" : "(dead)");
            }
        }
        out.summary().add("permits", value);
        if (bound != SemaphoreLayout.UNBOUNDED) {
            out.summary().add("bound", bound);
        }
        if (held.length() > 0) {
            out.summary().add("heldBy", held.toString());
        }
        if (value < 0 || (bound != SemaphoreLayout.UNBOUNDED && value > bound)) {
            out.problem("permits out of range: permits=" + value + ", bound=" + bound);
        }
    }
}
