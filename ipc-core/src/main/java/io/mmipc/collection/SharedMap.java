package io.mmipc.collection;

import io.mmipc.WaitMode;
import io.mmipc.codec.Codec;
import io.mmipc.internal.collection.StoredEntry;
import io.mmipc.internal.collection.MapStore;
import io.mmipc.internal.collection.MapStripes;
import io.mmipc.internal.file.ObjectType;
import io.mmipc.internal.file.SharedFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Python's {@code Manager().dict()} without the server: a {@link ConcurrentMap} shared by processes, in
 * mapped memory, opened by name. Keys and values go through {@link Codec}s; two keys are the same key when
 * their encodings are equal.
 *
 * <pre>{@code
 * try (SharedMap<String, Long> counts = SharedMap.builder("counts", Codecs.string(), Codecs.int64())
 *         .openOrCreate()) {
 *     counts.merge("jobs", 1L, Long::sum);           // atomic across processes (Python: d['jobs'] += 1 loses updates)
 *     Long n = counts.get("jobs");                    // lock-free read
 * }
 * }</pre>
 *
 * <ul>
 *   <li><b>Atomic across processes:</b> {@code put}, {@code remove}, {@code putIfAbsent}, {@code replace},
 *       {@code compute*} and {@code merge}. The functions of {@code compute*} and {@code merge} run outside any
 *       lock, on the value read; the result is written only if the entry is still the version read, else the
 *       function runs again on the newer value (as {@link ConcurrentMap}'s default methods allow). So a slow or
 *       failing function never holds up other processes, and must have no side effects that matter if repeated.
 *   <li><b>Reads</b> ({@code get}, {@code containsKey}, iteration) take no lock: they copy the entry and check
 *       that it did not change while copied, so they never see a half-written value.</li>
 *   <li><b>Stripes:</b> the map is split into independently locked stripes (8 unless
 *       {@link Builder#stripes(int)} says otherwise), a key's stripe chosen by its hash, so processes writing
 *       different keys mostly run in parallel instead of taking turns on one lock.</li>
 *   <li><b>{@link #size()}</b> is exact when no write runs meanwhile: the sum of the stripes' counts (kept by
 *       the writers, repaired if one died mid-update), read one stripe after another, as
 *       {@link java.util.concurrent.ConcurrentHashMap} sums its cells.</li>
 *   <li><b>Iteration</b> ({@code entrySet()}, {@code keySet()}, {@code values()}) is weakly consistent: the
 *       iterator works on a copy of the entries taken when it is created, each one as it was at some moment
 *       during that copy; an entry present throughout appears exactly once; it never throws
 *       {@link java.util.ConcurrentModificationException}. {@code Iterator.remove()} and {@code Entry.setValue}
 *       write through to the map.</li>
 *   <li><b>Crash safety:</b> a process killed in the middle of any update leaves the map as if the update
 *       happened or as if it did not; the next writer takes the lock over and repairs what the dead one
 *       left half done (its allocation bookkeeping), see {@code docs/collections.md}.</li>
 *   <li><b>Limits:</b> one entry (key + value + 32 bytes) up to 1 GiB; the map grows by adding segment files
 *       until 40 segments per stripe (many GiB, or {@code /dev/shm}'s size); at most about 16 million entries
 *       per stripe (a stripe's table is one block). Past a limit, a write throws
 *       {@link IllegalArgumentException} (entry too large) or {@link IllegalStateException} (map full), naming
 *       the map and the limit, and changes nothing.</li>
 *   <li>No null keys or values ({@link NullPointerException}), as in {@link java.util.concurrent.ConcurrentHashMap}.</li>
 * </ul>
 *
 * Every method throws {@link IllegalStateException} once the handle is closed.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class SharedMap<K, V> extends AbstractMap<K, V> implements ConcurrentMap<K, V>, AutoCloseable {
    private final SharedFile file;
    private final MapStripes store;
    private final Encoder<K> keys;
    private final Encoder<V> values;
    private final EntrySet entrySet = new EntrySet();

    private SharedMap(SharedFile file, WaitMode mode, Codec<K> keyCodec, Codec<V> valueCodec) {
        this.file = file;
        this.store = new MapStripes(file, mode);
        this.keys = new Encoder<>(keyCodec, "key");
        this.values = new Encoder<>(valueCodec, "value");
    }

    /**
     * Starts building a map named {@code name}: then {@code create()}, {@code open()} or {@code openOrCreate()}.
     *
     * @param name       the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @param keyCodec   how keys are encoded (every process must use the same)
     * @param valueCodec how values are encoded
     * @param <K>        the key type
     * @param <V>        the value type
     * @return the builder
     */
    public static <K, V> Builder<K, V> builder(String name, Codec<K> keyCodec, Codec<V> valueCodec) {
        return new Builder<>(name, keyCodec, valueCodec);
    }

    /**
     * Creates an empty map in the default folder.
     *
     * @param name       the object's name
     * @param keyCodec   how keys are encoded
     * @param valueCodec how values are encoded
     * @param <K>        the key type
     * @param <V>        the value type
     * @return the open map
     * @throws IOException if it exists or cannot be created
     */
    public static <K, V> SharedMap<K, V> create(String name, Codec<K> keyCodec, Codec<V> valueCodec) throws IOException {
        return builder(name, keyCodec, valueCodec).create();
    }

    /**
     * Opens an existing map in the default folder.
     *
     * @param name       the object's name
     * @param keyCodec   how keys are encoded
     * @param valueCodec how values are encoded
     * @param <K>        the key type
     * @param <V>        the value type
     * @return the open map
     * @throws IOException if it does not exist or is not a valid map
     */
    public static <K, V> SharedMap<K, V> open(String name, Codec<K> keyCodec, Codec<V> valueCodec) throws IOException {
        return builder(name, keyCodec, valueCodec).open();
    }

    // ---------------------------------------------------------------- reads

    @Override
    public V get(Object key) {
        file.enter();
        try {
            StoredEntry e = find(key);
            return e == null ? null : values.decode(e.value);
        } finally {
            file.exit();
        }
    }

    @Override
    public boolean containsKey(Object key) {
        file.enter();
        try {
            return find(key) != null;
        } finally {
            file.exit();
        }
    }

    private StoredEntry find(Object key) {
        byte[] k = keys.encodeQuery(key);
        return k == null ? null : store.get(k, MapStore.hash(k));
    }

    @Override
    public boolean containsValue(Object value) {
        Objects.requireNonNull(value, "value");
        for (Map.Entry<K, V> e : entrySet) {
            if (value.equals(e.getValue())) {
                return true;
            }
        }
        return false;
    }

    /** @return the number of entries, exact; {@link Integer#MAX_VALUE} if more */
    @Override
    public int size() {
        file.enter();
        try {
            return (int) Math.min(Integer.MAX_VALUE, store.size());
        } finally {
            file.exit();
        }
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    // ---------------------------------------------------------------- writes

    @Override
    public V put(K key, V value) {
        return write(key, value, MapStore.ANY).previous;
    }

    @Override
    public V putIfAbsent(K key, V value) {
        Result<V> r = write(key, value, MapStore.ABSENT);
        return r.applied ? null : r.previous;
    }

    @Override
    public V replace(K key, V value) {
        Result<V> r = write(key, value, MapStore.PRESENT);
        return r.applied ? r.previous : null;
    }

    @Override
    public V remove(Object key) {
        file.enter();
        try {
            byte[] k = keys.encodeQuery(key);
            if (k == null) {
                return null;
            }
            MapStore.Outcome o = store.write(k, MapStore.hash(k), null, MapStore.ANY, true);
            return o.previous == null ? null : values.decode(o.previous.value);
        } finally {
            file.exit();
        }
    }

    @Override
    public boolean remove(Object key, Object value) {
        Objects.requireNonNull(key, "key");
        return value != null && replaceIfEqual(key, value, null);
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(oldValue, "oldValue");
        return replaceIfEqual(key, oldValue, values.encode(newValue));
    }

    /**
     * Writes {@code newValue} (or removes the key if null) if the key maps to a value equal to {@code expected}:
     * compares outside the lock, then writes only if the entry is still the version compared.
     */
    private boolean replaceIfEqual(Object key, Object expected, byte[] newValue) {
        file.enter();
        try {
            byte[] k = keys.encodeQuery(key);
            if (k == null) {
                return false;
            }
            long hash = MapStore.hash(k);
            while (true) {
                StoredEntry e = store.get(k, hash);
                if (e == null || !expected.equals(values.decode(e.value))) {
                    return false;
                }
                if (store.write(k, hash, newValue, e.ref, false).applied) {
                    return true;
                }
            }
        } finally {
            file.exit();
        }
    }

    @Override
    public V compute(K key, BiFunction<? super K, ? super V, ? extends V> remapping) {
        Objects.requireNonNull(remapping, "remappingFunction");
        return update(key, (k, old) -> remapping.apply(k, old), true, true);
    }

    @Override
    public V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends V> remapping) {
        Objects.requireNonNull(remapping, "remappingFunction");
        return update(key, (k, old) -> remapping.apply(k, old), false, true);
    }

    @Override
    public V computeIfAbsent(K key, Function<? super K, ? extends V> mapping) {
        Objects.requireNonNull(mapping, "mappingFunction");
        return update(key, (k, old) -> mapping.apply(k), true, false);
    }

    @Override
    public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> remapping) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(remapping, "remappingFunction");
        return update(key, (k, old) -> old == null ? value : remapping.apply(old, value), true, true);
    }

    /**
     * The optimistic read-compute-write loop behind {@code compute*} and {@code merge}: reads the entry
     * without locking, applies {@code fn} outside any lock, and writes the result (or removes the key if it
     * is null) only if the entry is still the version read; otherwise reads again.
     *
     * @param whenAbsent  whether {@code fn} runs when the key is absent
     * @param whenPresent whether {@code fn} runs when the key is present (else the present value is returned)
     */
    private V update(K key, BiFunction<K, V, V> fn, boolean whenAbsent, boolean whenPresent) {
        file.enter();
        try {
            byte[] k = keys.encode(key);
            long hash = MapStore.hash(k);
            while (true) {
                StoredEntry e = store.get(k, hash);
                V old = e == null ? null : values.decode(e.value);
                if (e == null ? !whenAbsent : !whenPresent) {
                    return old;
                }
                V next = fn.apply(key, old);
                if (next == null && e == null) {
                    return null;
                }
                byte[] v = next == null ? null : values.encode(next);
                if (store.write(k, hash, v, e == null ? MapStore.ABSENT : e.ref, false).applied) {
                    return next;
                }
            }
        } finally {
            file.exit();
        }
    }

    /**
     * Removes every entry: each stripe atomically (one store replaces its table), one stripe after another,
     * so an entry put into an already cleared stripe meanwhile stays (as with
     * {@link java.util.concurrent.ConcurrentHashMap#clear()}).
     */
    @Override
    public void clear() {
        file.enter();
        try {
            store.clear();
        } finally {
            file.exit();
        }
    }

    private static final class Result<V> {
        final boolean applied;
        final V previous;

        Result(boolean applied, V previous) {
            this.applied = applied;
            this.previous = previous;
        }
    }

    private Result<V> write(K key, V value, long expected) {
        byte[] v = values.encode(value);
        file.enter();
        try {
            byte[] k = keys.encode(key);
            MapStore.Outcome o = store.write(k, MapStore.hash(k), v, expected, true);
            return new Result<>(o.applied, o.previous == null ? null : values.decode(o.previous.value));
        } finally {
            file.exit();
        }
    }

    // ---------------------------------------------------------------- views

    /**
     * The entries, as a weakly consistent view (see the class comment). {@code keySet()} and {@code values()}
     * are views over it.
     *
     * @return the entry set view
     */
    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        return entrySet;
    }

    private final class EntrySet extends AbstractSet<Map.Entry<K, V>> {
        @Override
        public Iterator<Map.Entry<K, V>> iterator() {
            List<StoredEntry> copy;
            file.enter();
            try {
                copy = store.entries();
            } finally {
                file.exit();
            }
            return new EntryIterator(copy);
        }

        @Override
        public int size() {
            return SharedMap.this.size();
        }

        @Override
        public boolean contains(Object o) {
            if (!(o instanceof Map.Entry)) {
                return false;
            }
            Map.Entry<?, ?> e = (Map.Entry<?, ?>) o;
            if (e.getKey() == null || e.getValue() == null) {
                return false;
            }
            V v = get(e.getKey());
            return v != null && v.equals(e.getValue());
        }

        @Override
        public boolean remove(Object o) {
            if (!(o instanceof Map.Entry)) {
                return false;
            }
            Map.Entry<?, ?> e = (Map.Entry<?, ?>) o;
            return e.getKey() != null && SharedMap.this.remove(e.getKey(), e.getValue());
        }

        @Override
        public void clear() {
            SharedMap.this.clear();
        }
    }

    private final class EntryIterator implements Iterator<Map.Entry<K, V>> {
        private final List<StoredEntry> copy;
        private int next;
        private K last;

        EntryIterator(List<StoredEntry> copy) {
            this.copy = copy;
        }

        @Override
        public boolean hasNext() {
            return next < copy.size();
        }

        @Override
        public Map.Entry<K, V> next() {
            if (next >= copy.size()) {
                throw new NoSuchElementException();
            }
            StoredEntry e = copy.get(next++);
            last = keys.decode(e.key);
            return new WriteThroughEntry(last, values.decode(e.value));
        }

        @Override
        public void remove() {
            if (last == null) {
                throw new IllegalStateException("next() was not called, or remove() was called after it already");
            }
            SharedMap.this.remove(last);
            last = null;
        }
    }

    /** An entry whose {@code setValue} puts the new value into the map. */
    private final class WriteThroughEntry extends SimpleEntry<K, V> {
        private static final long serialVersionUID = 1L;

        WriteThroughEntry(K key, V value) {
            super(key, value);
        }

        @Override
        public V setValue(V value) {
            put(getKey(), value);
            return super.setValue(value);
        }
    }

    // ---------------------------------------------------------------- handle

    /** {@return the file the map lives in} */
    public Path path() {
        return file.path();
    }

    /** Detaches this handle (other processes keep the map). Idempotent. */
    @Override
    public void close() {
        Handles.close(file, store::returnSpares);
    }

    /**
     * Removes the map's name and its segment files. Processes that have it open keep the parts they have
     * mapped; new opens fail.
     *
     * @throws IOException if a file cannot be removed
     */
    public void unlink() throws IOException {
        store.unlink();
    }

    /** {@return how many times a writer repaired the map after a writer that died mid-update (diagnostics)} */
    public long repairs() {
        return Handles.repairs(file, store::repairCount);
    }

    @Override
    public String toString() {
        return Handles.describe(file, super::toString);
    }

    /**
     * Builds a {@link SharedMap}; see {@link CollectionBuilder} for the settings.
     *
     * @param <K> the type of the keys
     * @param <V> the type of the values
     */
    public static final class Builder<K, V> extends CollectionBuilder<SharedMap<K, V>, Builder<K, V>> {
        private final Codec<K> keyCodec;
        private final Codec<V> valueCodec;

        Builder(String name, Codec<K> keyCodec, Codec<V> valueCodec) {
            super(name, ObjectType.MAP);
            this.keyCodec = Objects.requireNonNull(keyCodec, "keyCodec");
            this.valueCodec = Objects.requireNonNull(valueCodec, "valueCodec");
        }

        /**
         * Splits a new map into {@code n} stripes, each with its own lock, table and heap (default 8): writers
         * of keys in different stripes run in parallel. Each stripe costs a 384-byte control block and at least
         * 64 KiB of initial heap (the initial bytes are shared among the stripes); 1 gives one lock for the
         * whole map. Ignored on open: the file says how many stripes the map has.
         *
         * @param n a power of two from 1 to 64
         * @return this builder
         * @throws IllegalArgumentException if {@code n} is not a power of two in that range
         */
        public Builder<K, V> stripes(int n) {
            setStripes(n);
            return this;
        }

        @Override
        SharedMap<K, V> make(SharedFile file, WaitMode mode) {
            return new SharedMap<>(file, mode, keyCodec, valueCodec);
        }
    }
}
