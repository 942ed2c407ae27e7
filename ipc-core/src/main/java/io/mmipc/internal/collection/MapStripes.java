package io.mmipc.internal.collection;

import io.mmipc.WaitMode;
import io.mmipc.internal.file.SharedFile;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * A shared map's stripes (see {@link CollectionLayout}): one {@link MapStore} per stripe, each with its own
 * lock, table and heap. A key's stripe is named by the top bits of its hash (its table slot by the low bits),
 * so writers of keys in different stripes run in parallel. Key operations go to one stripe; the whole-map
 * ones (size, scan, clear) visit each stripe in turn.
 */
public final class MapStripes {
    /** The hash bits above this shift name the stripe (six bits: up to {@value CollectionLayout#MAX_STRIPES}). */
    private static final int STRIPE_SHIFT = 64 - Integer.numberOfTrailingZeros(CollectionLayout.MAX_STRIPES);

    private final MapStore[] stripes;
    private final int mask;

    /**
     * @param file the map's open, validated file
     * @param mode the resolved wait mode for the writers' locks
     */
    public MapStripes(SharedFile file, WaitMode mode) {
        int n = (int) file.param(CollectionLayout.P_STRIPES);
        this.stripes = new MapStore[n];
        for (int i = 0; i < n; i++) {
            stripes[i] = new MapStore(file, mode, i);
        }
        this.mask = n - 1;
    }

    private MapStore stripe(long hash) {
        return stripes[(int) (hash >>> STRIPE_SHIFT) & mask];
    }

    /** @return the entry of {@code key} (lock-free), or null; see {@link MapStore#get} */
    public StoredEntry get(byte[] key, long hash) {
        return stripe(hash).get(key, hash);
    }

    /** Writes or removes {@code key}'s entry in its stripe; see {@link MapStore#write}. */
    public MapStore.Outcome write(byte[] key, long hash, byte[] value, long expected, boolean wantPrevious) {
        return stripe(hash).write(key, hash, value, expected, wantPrevious);
    }

    /** @return the entries of every stripe, lock-free; each stripe's part as {@link MapStore#entries} says */
    public List<StoredEntry> entries() {
        if (stripes.length == 1) {
            return stripes[0].entries();
        }
        List<StoredEntry> all = new ArrayList<>();
        for (MapStore s : stripes) {
            all.addAll(s.entries());
        }
        return all;
    }

    /** @return the sum of the stripes' exact counts */
    public long size() {
        return sum(MapStore::size);
    }

    /** Empties each stripe in turn (each one atomically). */
    public void clear() {
        for (MapStore s : stripes) {
            s.clear();
        }
    }

    /** @return the repairs of all stripes together */
    public long repairCount() {
        return sum(MapStore::repairCount);
    }

    private long sum(ToLongFunction<MapStore> count) {
        long n = 0;
        for (MapStore s : stripes) {
            n += count.applyAsLong(s);
        }
        return n;
    }

    /** Gives every stripe's spare blocks back (a closing handle). */
    public void returnSpares() {
        for (MapStore s : stripes) {
            s.returnSpares();
        }
    }

    /**
     * Removes the map's name and every stripe's segment files.
     *
     * @throws IOException if a file cannot be removed
     */
    public void unlink() throws IOException {
        stripes[0].unlink();
        for (int i = 1; i < stripes.length; i++) {
            stripes[i].heap.unlinkSegments();
        }
    }
}
