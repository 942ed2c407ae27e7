package io.mmipc.process;

import java.io.Serializable;

/** A task with no result that runs in another JVM; a lambda assigned to this type can be serialized. */
@FunctionalInterface
public interface RemoteRunnable extends Serializable {
    /**
     * Runs the task.
     *
     * @throws Exception anything; it reaches the parent as a {@link RemoteTaskException}
     */
    void run() throws Exception;
}
