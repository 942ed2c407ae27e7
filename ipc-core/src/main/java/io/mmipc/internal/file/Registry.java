package io.mmipc.internal.file;

import io.mmipc.internal.log.Log;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.proc.ProcessIdentity;
import io.mmipc.internal.wait.Futex;

import java.lang.System.Logger.Level;
import java.util.function.IntPredicate;

/**
 * The per-object process registry: which processes have the object open, how many handles each holds, and
 * type-specific counters per process. Entries are claimed with one CAS of the process token, and an entry
 * whose process died is reclaimed (after a type-specific handler has accounted for what it held) before
 * anyone else may take it, so workers that come and go never exhaust the table. A reclaim adds one to the
 * header's {@link HeaderLayout#COUNTER_RECLAIMS} and logs at {@code DEBUG} on {@link Log#FILE}: a process that
 * exits without closing is routine, what it leaves behind (a lock, tasks, claims) is logged by its handler.
 *
 * <p>Layout: see {@link HeaderLayout}.
 */
public final class Registry {
    /** Top bit of a token word: the entry is being reclaimed by the process in the low bits. */
    private static final long RECLAIMING = 1L << 63;

    /** What an object type does when a process's entry is released: by death, or by its last close. */
    @FunctionalInterface
    public interface DeadEntryHandler {
        /**
         * Accounts for what the process in entry {@code index} held (tasks, claims, pipe ends).
         *
         * @param memory the object's mapping
         * @param index  the registry entry
         * @param token  the process token that owned it
         * @param died   true if the process died, false if it closed its last handle
         */
        void release(MappedMemory memory, int index, long token, boolean died);
    }

    private Registry() {
    }

    /** Registers this process (or adds a handle to its entry); returns its entry index. */
    static int attach(MappedMemory memory, String label, DeadEntryHandler handler) {
        long self = ProcessIdentity.self();
        synchronized (SharedFile.attachLock()) {
            for (int i = 0; i < HeaderLayout.REGISTRY_ENTRIES; i++) {
                if (memory.getLongVolatile(tokenOffset(i)) == self) {
                    memory.getAndAddInt(HeaderLayout.entryOffset(i) + HeaderLayout.ENTRY_HANDLES, 1);
                    return i;
                }
            }
            reclaimDead(memory, label, handler);
            for (int i = 0; i < HeaderLayout.REGISTRY_ENTRIES; i++) {
                int base = HeaderLayout.entryOffset(i);
                if (memory.getLongVolatile(tokenOffset(i)) == 0 && memory.compareAndSetLong(tokenOffset(i), 0, self)) {
                    memory.putIntVolatile(base + HeaderLayout.ENTRY_FLAGS,
                            Futex.available() ? HeaderLayout.FLAG_FUTEX : 0);
                    memory.getAndAddInt(base + HeaderLayout.ENTRY_HANDLES, 1);
                    return i;
                }
            }
        }
        throw new IllegalStateException(label + ": process registry full: entries=" + HeaderLayout.REGISTRY_ENTRIES
                + " live processes have it open");
    }

    /** Drops one handle of this process; the last one releases the entry. */
    static void detach(MappedMemory memory, int index, DeadEntryHandler handler) {
        int base = HeaderLayout.entryOffset(index);
        int left = memory.getAndAddInt(base + HeaderLayout.ENTRY_HANDLES, -1) - 1;
        if (left <= 0) {
            long self = ProcessIdentity.self();
            if (memory.compareAndSetLong(tokenOffset(index), self, RECLAIMING | self)) {
                release(memory, index, self, false, handler);
            }
        }
    }

    /**
     * Reclaims every entry whose process died (or whose reclaimer died), running the handler for each.
     *
     * @param memory  the object's mapping
     * @param label   how the log names the object, e.g. {@code queue 'jobs'}
     * @param handler accounts for what each dead process held
     * @return the number of entries reclaimed
     */
    public static int reclaimDead(MappedMemory memory, String label, DeadEntryHandler handler) {
        int reclaimed = 0;
        long self = ProcessIdentity.self();
        for (int i = 0; i < HeaderLayout.REGISTRY_ENTRIES; i++) {
            long word = memory.getLongVolatile(tokenOffset(i));
            if (word == 0) {
                continue;
            }
            long owner = word & ~RECLAIMING;
            if (ProcessIdentity.isAlive(owner)) {
                continue;
            }
            if ((word & RECLAIMING) == 0) {
                if (memory.compareAndSetLong(tokenOffset(i), word, RECLAIMING | self)) {
                    reclaimed(memory, label, i, owner);
                    release(memory, i, owner, true, handler);
                    reclaimed++;
                }
            } else if (memory.compareAndSetLong(tokenOffset(i), word, RECLAIMING | self)) {
                // The reclaimer died mid-way; the handler is idempotent on an already-released entry.
                reclaimed(memory, label, i, owner);
                release(memory, i, 0, true, handler);
                reclaimed++;
            }
        }
        return reclaimed;
    }

    /** Counts and reports one reclaimed entry (rare: once per process that exits without closing). */
    private static void reclaimed(MappedMemory memory, String label, int index, long deadToken) {
        HeaderCounters.add(memory, HeaderLayout.COUNTER_RECLAIMS, 1);
        int handles = memory.getIntVolatile(HeaderLayout.entryOffset(index) + HeaderLayout.ENTRY_HANDLES);
        Log.FILE.log(Level.DEBUG, () -> label + ": reclaimed the registry entry of a dead process: pid="
                + ProcessIdentity.pid(deadToken) + ", entry=" + index + ", handles=" + handles);
    }

    private static void release(MappedMemory memory, int index, long token, boolean died, DeadEntryHandler handler) {
        int base = HeaderLayout.entryOffset(index);
        if (handler != null) {
            handler.release(memory, index, token, died);
        }
        for (int c = 0; c < HeaderLayout.ENTRY_COUNTER_COUNT; c++) {
            memory.putLong(HeaderLayout.entryCounterOffset(index, c), 0);
        }
        memory.putInt(base + HeaderLayout.ENTRY_HANDLES, 0);
        memory.putInt(base + HeaderLayout.ENTRY_FLAGS, 0);
        // Release: the entry's counters are reset before anyone can claim the slot again.
        memory.putLongRelease(tokenOffset(index), 0);
    }

    /** @return the token in entry {@code index} (0 if free; a reclaim marker is reported as 0) */
    public static long token(MappedMemory memory, int index) {
        long word = memory.getLongVolatile(tokenOffset(index));
        return (word & RECLAIMING) != 0 ? 0 : word;
    }

    /** @return whether the process in entry {@code index} is alive */
    public static boolean isAlive(MappedMemory memory, int index) {
        return ProcessIdentity.isAlive(token(memory, index));
    }

    /**
     * Tells whether every registered process can be woken with a futex (so a sleeper may use one). Entries
     * are not checked for liveness: a dead doorbell-only entry only makes sleepers use doorbells.
     */
    public static boolean allFutexCapable(MappedMemory memory) {
        for (int i = 0; i < HeaderLayout.REGISTRY_ENTRIES; i++) {
            if (memory.getLongVolatile(tokenOffset(i)) != 0
                    && (memory.getIntVolatile(HeaderLayout.entryOffset(i) + HeaderLayout.ENTRY_FLAGS)
                    & HeaderLayout.FLAG_FUTEX) == 0) {
                return false;
            }
        }
        return true;
    }

    /** @return the number of entries held by live processes that satisfy {@code filter} */
    public static int countLive(MappedMemory memory, IntPredicate filter) {
        int n = 0;
        for (int i = 0; i < HeaderLayout.REGISTRY_ENTRIES; i++) {
            long token = token(memory, i);
            if (token != 0 && filter.test(i) && ProcessIdentity.isAlive(token)) {
                n++;
            }
        }
        return n;
    }

    private static int tokenOffset(int index) {
        return HeaderLayout.entryOffset(index) + HeaderLayout.ENTRY_TOKEN;
    }
}
