package io.mmipc.bench.collection;

import java.io.IOException;
import java.nio.file.Path;

/**
 * One process's handle on a shared {@code String -> Long} map, and the three measured operations:
 * {@code get} of a hot key, {@code put} over 1000 keys, and an atomic {@code merge}-increment of one counter.
 */
public interface MapOps extends AutoCloseable {
    /** The implementations measured. */
    enum Impl {
        /** mmipc's {@code SharedMap}. */
        MMIPC,
        /** Chronicle Map (needs {@link ChronicleMapOps#FLAGS}). */
        CHRONICLE
    }

    /** The operations measured. */
    enum Op {
        /** {@code get("hot")}. */
        GET,
        /** {@code put("k" + i % 1000, i)}. */
        PUT,
        /** {@code merge("counter", 1, Long::sum)}. */
        MERGE
    }

    /**
     * Opens the map in {@code dir}, creating it if needed (the first process creates it).
     *
     * @param impl which map
     * @param dir  a private folder
     * @return the handle
     * @throws IOException if it cannot be opened
     */
    static MapOps open(Impl impl, Path dir) throws IOException {
        return impl == Impl.MMIPC ? ConcurrentMapOps.mmipc(dir) : ChronicleMapOps.open(dir);
    }

    /** {@code get("hot")}. @return the value */
    Long get();

    /** {@code put(key i, i)}. */
    void put(int i);

    /** {@code merge("counter", 1, Long::sum)}. @return the new count */
    Long merge();

    /** @return the counter's value */
    long counter();

    /**
     * Runs {@code op} once.
     *
     * @param op the operation
     * @param i  a varying number (the put's key and value)
     * @return something to consume
     */
    default Object run(Op op, int i) {
        switch (op) {
            case GET:
                return get();
            case PUT:
                put(i);
                return null;
            default:
                return merge();
        }
    }

    @Override
    void close();
}
