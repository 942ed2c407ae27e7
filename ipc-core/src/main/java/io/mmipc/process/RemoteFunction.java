package io.mmipc.process;

import java.io.Serializable;

/**
 * A function applied in another JVM (by {@link SharedPool#map} and friends); a lambda or method reference
 * assigned to this type can be serialized.
 *
 * @param <T> the argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface RemoteFunction<T, R> extends Serializable {
    /**
     * Applies the function.
     *
     * @param item the argument
     * @return the result
     * @throws Exception anything; it reaches the parent as a {@link RemoteTaskException}
     */
    R apply(T item) throws Exception;
}
