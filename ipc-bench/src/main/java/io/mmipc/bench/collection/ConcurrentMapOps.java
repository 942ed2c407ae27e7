package io.mmipc.bench.collection;

import io.mmipc.codec.Codecs;
import io.mmipc.collection.SharedMap;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentMap;

/** {@link MapOps} on any shared {@link ConcurrentMap}: mmipc's {@link SharedMap} or Chronicle Map. */
final class ConcurrentMapOps implements MapOps {
    private static final String[] KEYS = new String[1000];

    static {
        for (int i = 0; i < KEYS.length; i++) {
            KEYS[i] = "k" + i;
        }
    }

    private final ConcurrentMap<String, Long> map;
    private final AutoCloseable closer;

    ConcurrentMapOps(ConcurrentMap<String, Long> map, AutoCloseable closer) {
        this.map = map;
        this.closer = closer;
        map.putIfAbsent("hot", 1L);
    }

    /** Opens (or creates) mmipc's map in {@code dir}. */
    static ConcurrentMapOps mmipc(Path dir) throws IOException {
        SharedMap<String, Long> map = SharedMap.builder("bench-map", Codecs.string(), Codecs.int64()).directory(dir)
                .initialBytes(8 << 20).openOrCreate();
        return new ConcurrentMapOps(map, map);
    }

    @Override
    public Long get() {
        return map.get("hot");
    }

    @Override
    public void put(int i) {
        map.put(KEYS[i % KEYS.length], (long) i);
    }

    @Override
    public Long merge() {
        return map.merge("counter", 1L, Long::sum);
    }

    @Override
    public long counter() {
        Long v = map.get("counter");
        return v == null ? 0 : v;
    }

    @Override
    public void close() {
        try {
            closer.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot close the map: " + e, e);
        }
    }
}
