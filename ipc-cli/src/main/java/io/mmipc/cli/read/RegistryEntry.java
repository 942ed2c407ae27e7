package io.mmipc.cli.read;

import io.mmipc.internal.file.HeaderLayout;
import io.mmipc.internal.proc.ProcessIdentity;

import java.util.ArrayList;
import java.util.List;

/**
 * One used entry of an object's process registry (see {@code HeaderLayout} and {@code Registry}).
 *
 * @param index      the entry's index
 * @param token      the process token
 * @param reclaiming whether the entry is being reclaimed (then {@code token} is the reclaimer)
 * @param alive      whether that process is alive
 * @param handles    open handles in that process
 * @param flags      capability flags
 * @param counters   the type-specific counters
 */
public record RegistryEntry(int index, long token, boolean reclaiming, boolean alive, int handles, int flags,
                            long[] counters) {

    /**
     * Reads every used entry.
     *
     * @param file the file
     * @return the used entries, in index order
     */
    public static List<RegistryEntry> readAll(ObjectFile file) {
        List<RegistryEntry> entries = new ArrayList<>();
        for (int i = 0; i < HeaderLayout.REGISTRY_ENTRIES; i++) {
            int base = HeaderLayout.entryOffset(i);
            long word = file.getLong(base + HeaderLayout.ENTRY_TOKEN);
            if (word == 0) {
                continue;
            }
            long token = word & ~LayoutMirror.REGISTRY_RECLAIMING;
            long[] counters = new long[HeaderLayout.ENTRY_COUNTER_COUNT];
            for (int c = 0; c < counters.length; c++) {
                counters[c] = file.getLong(HeaderLayout.entryCounterOffset(i, c));
            }
            entries.add(new RegistryEntry(i, token, (word & LayoutMirror.REGISTRY_RECLAIMING) != 0,
                    file.isAlive(token), file.getInt(base + HeaderLayout.ENTRY_HANDLES),
                    file.getInt(base + HeaderLayout.ENTRY_FLAGS), counters));
        }
        return entries;
    }

    /**
     * @param i a counter index
     * @return type-specific counter {@code i}
     */
    public long counter(int i) {
        return counters[i];
    }

    /**
     * @param counterNames names of the type's counters (shorter than the counter count: the rest are shown
     *                     only when non-zero, by index)
     * @return the entry's fields, for {@code mmipc inspect}
     */
    public Fields fields(String... counterNames) {
        Fields f = new Fields().add("entry", index).add("pid", ProcessIdentity.pid(token)).add("alive", alive)
                .add("handles", handles).add("futexCapable", (flags & HeaderLayout.FLAG_FUTEX) != 0);
        if (reclaiming) {
            f.add("reclaiming", true);
        }
        Fields c = new Fields();
        for (int i = 0; i < counters.length; i++) {
            if (i < counterNames.length) {
                c.add(counterNames[i], counters[i]);
            } else if (counters[i] != 0) {
                c.add("counter" + i, counters[i]);
            }
        }
        if (!c.isEmpty()) {
            f.add("counters", c);
        }
        return f.add("token", token);
    }
}
