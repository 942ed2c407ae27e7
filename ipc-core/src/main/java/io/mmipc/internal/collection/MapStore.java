package io.mmipc.internal.collection;

import io.mmipc.WaitMode;
import io.mmipc.internal.file.SharedFile;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.mmipc.internal.collection.CollectionLayout.*;

/**
 * One stripe of a shared map (see {@link MapStripes}): a hash table of encoded keys and values in a
 * {@link Heap}: lock-free lookups and scans, and writes under the stripe's robust lock that publish each
 * change with one release store (see {@link CollectionLayout} for the layout and the commit rule). Open
 * addressing with linear probing; a removed entry leaves a tombstone until the next rebuild of the table,
 * which happens when entries plus tombstones exceed half the slots.
 */
public final class MapStore extends HeapStore {
    /** Expected ref for {@link #write}: write whatever the key maps to now. */
    public static final long ANY = -1;
    /** Expected ref for {@link #write}: write only if the key is present. */
    public static final long PRESENT = -2;
    /** Expected ref for {@link #write}: write only if the key is absent. */
    public static final long ABSENT = EMPTY;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int MIN_CAPACITY = 16;
    /** Largest table: the largest block holds it. */
    private static final long MAX_CAPACITY = Long.highestOneBit((MAX_BLOCK_BYTES - T_SLOTS) / SLOT_BYTES);

    /** What a {@link #write} did. */
    public static final class Outcome {
        /** Whether the write or removal happened. */
        public final boolean applied;
        /** The entry the key had before (when asked for), or null if absent. */
        public final StoredEntry previous;

        Outcome(boolean applied, StoredEntry previous) {
            this.applied = applied;
            this.previous = previous;
        }
    }

    /** Key bytes compared under the lock (one holder at a time in this process: the lock is per process). */
    private byte[] keyScratch = new byte[64];

    /**
     * @param file   the map's open file
     * @param mode   the resolved wait mode for the writers' lock
     * @param stripe which of the file's stripes this is
     */
    MapStore(SharedFile file, WaitMode mode, int stripe) {
        super(file, mode, stripe);
    }

    /** The stable 64-bit hash of an encoded key (the same in every process). */
    public static long hash(byte[] key) {
        long h = 0x9E3779B97F4A7C15L ^ key.length;
        int i = 0;
        for (; i + 8 <= key.length; i += 8) {
            h = (h ^ (long) LONGS.get(key, i)) * 0xFF51AFD7ED558CCDL;
            h ^= h >>> 32;
        }
        long tail = 0;
        for (int shift = 0; i < key.length; i++, shift += 8) {
            tail |= (key[i] & 0xFFL) << shift;
        }
        h = (h ^ tail) * 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 29;
        h *= 0xFF51AFD7ED558CCDL;
        return h ^ (h >>> 32);
    }

    // ---------------------------------------------------------------- lock-free reads

    /**
     * Looks a key up without locking.
     *
     * @return the entry, or null if the key is absent
     */
    public StoredEntry get(byte[] key, long hash) {
        return read(() -> find(key, hash));
    }

    private StoredEntry find(byte[] key, long hash) {
        // Acquire: pairs with the release of the root, so the table it names is complete.
        long root = control.getLongAcquire(ctl + ROOT);
        if (root == EMPTY) {
            return null;
        }
        long tableStamp = heap.stampFor(root);
        long t = offset(root);
        long cap = capacity(t);
        long mask = cap - 1;
        long i = hash & mask;
        for (long n = 0; n < cap; n++, i = (i + 1) & mask) {
            long slot = t + T_SLOTS + i * SLOT_BYTES;
            // Acquire: pairs with the writer's release of the slot, so the entry it names is sealed.
            long r = heap.readLongAcquire(slot + SLOT_REF);
            if (r == EMPTY) {
                break;
            }
            if (r != TOMBSTONE && heap.readLong(slot + SLOT_HASH) == hash) {
                StoredEntry e = readEntry(r, key);
                if (e != StoredEntry.NO_MATCH) {
                    heap.validate(root, tableStamp);
                    return e;
                }
            }
        }
        heap.validate(root, tableStamp);
        return null;
    }

    private long capacity(long t) {
        long cap = heap.readLong(t + T_CAPACITY);
        long bytes = heap.readInt(t + B_BYTES) & 0xFFFF_FFFFL;
        if (cap < MIN_CAPACITY || (cap & (cap - 1)) != 0 || T_SLOTS + cap * SLOT_BYTES > bytes) {
            throw Heap.RETRY;
        }
        return cap;
    }

    /**
     * Copies every entry without locking: each entry is one that was in the map at some moment during the
     * call; an entry present throughout appears exactly once.
     */
    public List<StoredEntry> entries() {
        return read(this::scan);
    }

    private List<StoredEntry> scan() {
        // Acquire: pairs with the release of the root, so the table it names is complete.
        long root = control.getLongAcquire(ctl + ROOT);
        List<StoredEntry> out = new ArrayList<>();
        if (root == EMPTY) {
            return out;
        }
        long tableStamp = heap.stampFor(root);
        long t = offset(root);
        long cap = capacity(t);
        for (long i = 0; i < cap; i++) {
            long slot = t + T_SLOTS + i * SLOT_BYTES;
            StoredEntry e = null;
            for (int tries = 0; e == null; tries++) {
                // Acquire: pairs with the writer's release of the slot, so the entry it names is sealed.
                long r = heap.readLongAcquire(slot + SLOT_REF);
                if (!isBlock(r)) {
                    break;
                }
                try {
                    e = readEntry(r, null);
                } catch (RuntimeException stale) {
                    if (stale != Heap.RETRY || tries > 1000) {
                        throw stale;
                    }
                    // the slot changed under us: read it again
                }
            }
            if (e != null) {
                out.add(e);
            }
        }
        heap.validate(root, tableStamp);
        return out;
    }

    /**
     * @return the number of entries: exact (the count is repaired first if the last writer died mid-update)
     */
    public long size() {
        if (ownerDead()) {
            lock();
            unlock();
        }
        return control.getLongVolatile(ctl + SIZE);
    }

    // ---------------------------------------------------------------- writes (under the lock)

    /**
     * Maps {@code key} to {@code value} (or removes it if {@code value} is null), if the key's current ref
     * word is {@code expected}: {@link #ANY}, {@link #PRESENT}, {@link #ABSENT}, or a ref from a read (the
     * exact version read). Atomic across processes; one release store commits it.
     *
     * @param wantPrevious whether to copy the previous entry into the outcome
     * @return whether it happened, and the previous entry if asked for
     * @throws IllegalArgumentException if the entry is larger than the largest block
     * @throws IllegalStateException    if the map cannot grow (its limit, or no space left for a segment)
     */
    public Outcome write(byte[] key, long hash, byte[] value, long expected, boolean wantPrevious) {
        lock();
        try {
            long root = control.getLong(ctl + ROOT);
            if (value != null && (root == EMPTY
                    || (control.getLong(ctl + USED) + 1) * 2 > heap.getLong(offset(root) + T_CAPACITY))) {
                root = rebuildTable();
            }
            long slot = -1;
            long free = -1;
            if (root != EMPTY) {
                long t = offset(root);
                long cap = heap.getLong(t + T_CAPACITY);
                long mask = cap - 1;
                long i = hash & mask;
                for (long n = 0; n < cap; n++, i = (i + 1) & mask) {
                    long s = t + T_SLOTS + i * SLOT_BYTES;
                    long r = heap.getLong(s + SLOT_REF);
                    if (r == EMPTY || r == TOMBSTONE) {
                        if (free < 0) {
                            free = s;
                        }
                        if (r == EMPTY) {
                            break;
                        }
                    } else if (heap.getLong(s + SLOT_HASH) == hash && keyEquals(offset(r), key)) {
                        slot = s;
                        break;
                    }
                }
            }
            long current = slot < 0 ? EMPTY : heap.getLong(slot + SLOT_REF);
            StoredEntry previous = wantPrevious && slot >= 0 ? readLocked(current, key) : null;
            boolean ok = expected == ANY || (expected == PRESENT ? slot >= 0 : current == expected);
            if (!ok || (value == null && slot < 0)) {
                return new Outcome(false, previous);
            }
            if (value == null) {
                // Release: the tombstone commits the removal.
                heap.putLongRelease(slot + SLOT_REF, TOMBSTONE);
                CrashPoints.reach("map.removed");
                heap.free(offset(current));
                // Release: size() readers see the count after the removal it counts (and repair recounts it).
                control.putLongRelease(ctl + SIZE, control.getLong(ctl + SIZE) - 1);
                return new Outcome(true, previous);
            }
            long ref = writeEntry(key, hash, value);
            CrashPoints.reach("map.written");
            if (slot >= 0) {
                // Release: the new entry's block is sealed before the slot names it.
                heap.putLongRelease(slot + SLOT_REF, ref);
                CrashPoints.reach("map.replaced");
                heap.free(offset(current));
            } else {
                boolean wasEmpty = heap.getLong(free + SLOT_REF) == EMPTY;
                heap.putLong(free + SLOT_HASH, hash);
                // Release: the hash and the sealed entry are visible before the slot names it.
                heap.putLongRelease(free + SLOT_REF, ref);
                CrashPoints.reach("map.inserted");
                // Release: size() readers see the count after the insertion it counts.
                control.putLongRelease(ctl + SIZE, control.getLong(ctl + SIZE) + 1);
                if (wasEmpty) {
                    control.putLong(ctl + USED, control.getLong(ctl + USED) + 1);
                }
            }
            return new Outcome(true, previous);
        } finally {
            unlock();
        }
    }

    private boolean keyEquals(long h, byte[] key) {
        if (heap.getInt(h + B_KEY_LENGTH) != key.length) {
            return false;
        }
        byte[] k = keyScratch;
        if (k.length < key.length) {
            k = new byte[Math.max(key.length, 2 * k.length)];
            keyScratch = k;
        }
        heap.getBytes(h + B_DATA, k, key.length);
        return Arrays.equals(k, 0, key.length, key, 0, key.length);
    }

    /**
     * Copies the live slots into a new table sized for the entries (dropping tombstones), publishes it with
     * one release store of the root, then frees the old one. Lock held.
     */
    private long rebuildTable() {
        long size = control.getLong(ctl + SIZE);
        long cap = Math.min(MAX_CAPACITY,
                Math.max(MIN_CAPACITY, Long.highestOneBit(Math.max(1, (size + 1) * 4 - 1)) << 1));
        if ((size + 1) * 2 > cap) {
            throw new IllegalStateException(label() + " is full: entries=" + size + ", limit=" + MAX_CAPACITY / 2
                    + " (the hash table is one block of at most " + MAX_BLOCK_BYTES + " bytes)");
        }
        long oldRoot = control.getLong(ctl + ROOT);
        long t = newTable(cap);
        if (oldRoot != EMPTY) {
            long old = offset(oldRoot);
            long oldCap = heap.getLong(old + T_CAPACITY);
            for (long i = 0; i < oldCap; i++) {
                long s = old + T_SLOTS + i * SLOT_BYTES;
                long r = heap.getLong(s + SLOT_REF);
                if (isBlock(r)) {
                    long hash = heap.getLong(s + SLOT_HASH);
                    long j = hash & (cap - 1);
                    while (heap.getLong(t + T_SLOTS + j * SLOT_BYTES + SLOT_REF) != EMPTY) {
                        j = (j + 1) & (cap - 1);
                    }
                    heap.putLong(t + T_SLOTS + j * SLOT_BYTES + SLOT_HASH, hash);
                    heap.putLong(t + T_SLOTS + j * SLOT_BYTES + SLOT_REF, r);
                }
            }
        }
        long root = heap.seal(t);
        CrashPoints.reach("map.table-built");
        // Release: the new table (sealed, slots filled) is complete before readers can find it.
        control.putLongRelease(ctl + ROOT, root);
        CrashPoints.reach("map.table-published");
        if (oldRoot != EMPTY) {
            heap.free(offset(oldRoot));
        }
        control.putLong(ctl + USED, size);
        return root;
    }

    private long newTable(long cap) {
        long t = heap.allocate(T_SLOTS + cap * SLOT_BYTES, KIND_TABLE);
        heap.putLong(t + T_CAPACITY, cap);
        heap.zero(t + T_SLOTS, cap * SLOT_BYTES);
        return t;
    }

    /** Removes every entry at once (one release store of a new, empty table), then frees the old blocks. */
    public void clear() {
        lock();
        try {
            long oldRoot = control.getLong(ctl + ROOT);
            if (oldRoot == EMPTY) {
                return;
            }
            long root = heap.seal(newTable(MIN_CAPACITY));
            // Release: the empty table is complete before it replaces the old one.
            control.putLongRelease(ctl + ROOT, root);
            CrashPoints.reach("map.cleared");
            long old = offset(oldRoot);
            long cap = heap.getLong(old + T_CAPACITY);
            for (long i = 0; i < cap; i++) {
                long r = heap.getLong(old + T_SLOTS + i * SLOT_BYTES + SLOT_REF);
                if (isBlock(r)) {
                    heap.free(offset(r));
                }
            }
            heap.free(old);
            // Release: the count follows the new, empty table.
            control.putLongRelease(ctl + SIZE, 0);
            control.putLong(ctl + USED, 0);
        } finally {
            unlock();
        }
    }

    @Override
    void collectLive(LiveBlocks live) {
        long root = control.getLong(ctl + ROOT);
        if (root == EMPTY) {
            return;
        }
        long t = offset(root);
        live.add(t);
        long cap = heap.getLong(t + T_CAPACITY);
        for (long i = 0; i < cap; i++) {
            long r = heap.getLong(t + T_SLOTS + i * SLOT_BYTES + SLOT_REF);
            if (isBlock(r)) {
                live.add(offset(r));
            }
        }
    }

    @Override
    void afterRebuild() {
        long root = control.getLong(ctl + ROOT);
        long size = 0;
        long used = 0;
        if (root != EMPTY) {
            long t = offset(root);
            long cap = heap.getLong(t + T_CAPACITY);
            for (long i = 0; i < cap; i++) {
                long r = heap.getLong(t + T_SLOTS + i * SLOT_BYTES + SLOT_REF);
                used += r != EMPTY ? 1 : 0;
                size += isBlock(r) ? 1 : 0;
            }
        }
        control.putLong(ctl + USED, used);
        // Release: the recounted size, for size() readers (the lock release publishes it too).
        control.putLongRelease(ctl + SIZE, size);
    }
}
