package io.mmipc.process;

import java.io.Serializable;

/**
 * A two-argument function applied in another JVM (by {@link SharedPool#starmap}); serializable like
 * {@link RemoteFunction}.
 *
 * @param <A> the first argument's type
 * @param <B> the second argument's type
 * @param <R> the result type
 */
@FunctionalInterface
public interface RemoteBiFunction<A, B, R> extends Serializable {
    /**
     * Applies the function.
     *
     * @param a the first argument
     * @param b the second argument
     * @return the result
     * @throws Exception anything; it reaches the parent as a {@link RemoteTaskException}
     */
    R apply(A a, B b) throws Exception;
}
