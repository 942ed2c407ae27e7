package io.mmipc.cli.read;

import io.mmipc.internal.sync.LockLayout;

/** Reads a lock block (see {@link LockLayout}), the part of locks, rlocks, conditions and locked values. */
final class LockBlockReader {
    private LockBlockReader() {
    }

    /**
     * @param file the file
     * @param base the block's first byte
     * @param out  where the event name and the summary go
     * @param summarize whether the owner and takeovers belong in the summary (not for a value's lock)
     * @return every field of the block
     */
    static Fields read(ObjectFile file, int base, Description out, boolean summarize) {
        long owner = file.getLong(base + LockLayout.OWNER);
        int flags = file.getInt(base + LockLayout.FLAGS);
        long takeovers = file.getLong(base + LockLayout.TAKEOVERS);
        Fields f = new Fields();
        f.add("owner", Processes.describe(file, owner));
        f.add("ownerThreadProcess", Processes.describe(file, file.getLong(base + LockLayout.OWNER_PROCESS)));
        f.add("ownerThreadId", file.getLong(base + LockLayout.OWNER_THREAD));
        f.add("holds", file.getInt(base + LockLayout.HOLDS));
        f.add("ownerDied", (flags & LockLayout.FLAG_OWNER_DIED) != 0);
        f.add("takeovers", takeovers);
        f.add("releasedEvent", out.event(file, base + LockLayout.RELEASED_EVENT, "lock released"));
        if (summarize) {
            out.summary().add("owner", Processes.brief(file, owner)).add("takeovers", takeovers);
        }
        out.counter("takeovers", takeovers, -1);
        return f;
    }
}
