package io.mmipc.cli.read;

import io.mmipc.internal.file.HeaderLayout;
import io.mmipc.internal.ring.QueueLayout;

import java.util.List;

/** Queues and joinable queues: depth, capacity, shutdown state, tasks (see {@link QueueLayout}). */
final class QueueDescriber implements Describer {
    @Override
    public int version() {
        return QueueLayout.VERSION;
    }

    @Override
    public String[] counterNames() {
        return new String[] {"taken", "done"};
    }

    @Override
    public void describe(ObjectFile file, Header header, List<RegistryEntry> registry, Description out) {
        long slots = header.param(QueueLayout.P_SLOTS);
        long slotSize = header.param(QueueLayout.P_SLOT_SIZE);
        long maxSize = header.param(QueueLayout.P_MAX_SIZE);
        boolean joinable = (header.param(QueueLayout.P_FLAGS) & QueueLayout.FLAG_JOINABLE) != 0;
        Fields body = out.body();
        body.add("slots", slots).add("slotSize", slotSize).add("maxSize", maxSize).add("joinable", joinable);
        String bad = RingReader.check(slots, slotSize);
        if (bad != null) {
            out.problem(bad);
            return;
        }
        if (QueueLayout.fileSize(slots, slotSize) != header.declaredSize()) {
            out.problem("file size does not match the queue's parameters: expected="
                    + QueueLayout.fileSize(slots, slotSize) + ", header=" + header.declaredSize());
        }
        int base = HeaderLayout.BODY_OFFSET;
        RingReader.Ring ring = RingReader.read(file, base, slots, slotSize, "", registry, out);
        int shutdown = file.getInt(base + QueueLayout.SHUTDOWN);
        body.add("shutdown", shutdownName(shutdown));
        body.add("ring", ring.fields());
        body.add("instance", String.format("%016x", file.getLong(base + QueueLayout.INSTANCE)));
        body.add("spillFiles", SpillFiles.describe(file.path()));
        long capacity = maxSize > 0 ? Math.min(maxSize, slots) : slots;
        out.summary().add("depth", ring.depth()).add("capacity", capacity).add("shutdown", shutdownName(shutdown));
        if (ring.deadClaims() > 0) {
            out.summary().add("deadClaims", ring.deadClaims());
        }
        out.counter("put", ring.claimed(), LayoutMirror.QUEUE_COUNT_MASK);
        out.counter("got", ring.taken(), LayoutMirror.QUEUE_COUNT_MASK);
        if (joinable) {
            long taskWord = file.getLong(base + QueueLayout.TASK_COUNTS);
            long done = io.mmipc.internal.ring.TaskLayout.done(taskWord);
            long lost = io.mmipc.internal.ring.TaskLayout.pool(taskWord);
            long removed = file.getLong(base + QueueLayout.REMOVED_TOTAL);
            long unfinished = (ring.claimed() - removed - done) & LayoutMirror.QUEUE_COUNT_MASK;
            lost = Math.min(Math.max(lost, 0), unfinished);
            Fields tasks = body.section("tasks");
            tasks.add("unfinished", unfinished).add("done", done).add("lost", lost).add("removed", removed)
                    .add("lastLostPid", file.getLong(base + QueueLayout.LAST_LOST_PID))
                    .add("joinEvent", out.event(file, base + QueueLayout.JOIN_EVENT, "join"));
            out.summary().add("unfinished", unfinished).add("lost", lost);
            out.counter("done", done, -1);
        }
    }

    static String shutdownName(int state) {
        switch (state) {
            case 0:
                return "open";
            case QueueLayout.SHUTDOWN_DRAIN:
                return "shutdown";
            case QueueLayout.SHUTDOWN_IMMEDIATE:
                return "shutdown-immediate";
            default:
                return "unknown state " + state;
        }
    }
}
