package io.mmipc.process;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A task that runs in another JVM and returns a value: a {@link Callable} that can be serialized, so a
 * lambda assigned to this type can cross to a child process ({@code RemoteTask<Long> t = () -> 6L * 7;}).
 * Everything it captures must be serializable too; shared objects (queues, pipes, locks, values) are sent
 * as handles and reopened on the other side (see {@link SharedHandles}).
 *
 * @param <R> the result type
 */
@FunctionalInterface
public interface RemoteTask<R> extends Callable<R>, Serializable {
}
