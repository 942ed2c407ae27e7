package io.mmipc.process;

import java.util.Set;

/**
 * A function as the pool sends it: serialized once, with an id so each worker receives it once and caches it.
 *
 * @param id      unique in the pool
 * @param bytes   the serialized {@link RemoteFunction}
 * @param classes the classes in it (the worker's allow-list grows by these)
 */
record PoolFunction(long id, byte[] bytes, Set<String> classes) {
}
