/**
 * Processes and process pools, Python's {@code multiprocessing.Process} and {@code Pool}, for JVMs:
 * {@link io.mmipc.process.SharedProcess} starts a child JVM running a serializable task or a main class;
 * {@link io.mmipc.process.SharedPool} runs functions on worker JVMs fed through mmipc queues;
 * {@link io.mmipc.process.Waiter} waits on several queues, pipes and processes at once. Shared objects
 * passed to a task arrive in the child as live handles ({@link io.mmipc.process.SharedHandles}).
 *
 * <p>Everything crossing between processes is serialized under an allow-list (see {@code AllowList}): a
 * task's own classes are allowed in the child automatically, results are checked against the classes the
 * caller allows plus the ones the task was made of. A task's exception reaches the parent as a
 * {@link io.mmipc.process.RemoteTaskException} carrying the child's stack trace.
 */
package io.mmipc.process;
