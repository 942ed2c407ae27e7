package io.mmipc.process;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The functions a worker keeps, by id, least recently used dropped beyond {@value #CAPACITY}: so a caller that
 * makes a new lambda for every call does not fill a long-lived worker. The parent keeps one per worker too,
 * updated by the same get-then-put on each batch sent; since a worker takes its batches in the order they were
 * sent, both sides evict the same ids and the parent knows which functions the worker still has.
 *
 * @param <V> what is kept per id (the function in the worker, a marker in the parent)
 */
final class FunctionCache<V> {
    static final int CAPACITY = 256;

    private final LinkedHashMap<Long, V> map = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, V> eldest) {
            return size() > CAPACITY;
        }
    };

    /** @return the value for {@code id} (marking it used), or null */
    V get(long id) {
        return map.get(id);
    }

    /** Keeps {@code value} for {@code id}, dropping the least recently used id beyond the capacity. */
    void put(long id, V value) {
        map.put(id, value);
    }
}
