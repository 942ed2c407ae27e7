/**
 * Python's {@code multiprocessing} synchronization primitives between JVM processes, each living in its own
 * memory-mapped file and opened by name:
 * <table>
 *   <caption>Python to Java</caption>
 *   <tr><th>Python</th><th>here</th></tr>
 *   <tr><td>{@code Lock()}</td><td>{@link io.mmipc.sync.SharedLock} (a {@link java.util.concurrent.locks.Lock})</td></tr>
 *   <tr><td>{@code RLock()}</td><td>{@link io.mmipc.sync.SharedRLock} (reentrant)</td></tr>
 *   <tr><td>{@code Semaphore(n)}</td><td>{@link io.mmipc.sync.SharedSemaphore}</td></tr>
 *   <tr><td>{@code BoundedSemaphore(n)}</td><td>{@link io.mmipc.sync.SharedBoundedSemaphore}</td></tr>
 *   <tr><td>{@code Event()}</td><td>{@link io.mmipc.sync.SharedEvent}</td></tr>
 *   <tr><td>{@code Condition()}</td><td>{@link io.mmipc.sync.SharedCondition} (a
 *       {@link java.util.concurrent.locks.Condition} with its own rlock)</td></tr>
 *   <tr><td>{@code Barrier(n)}</td><td>{@link io.mmipc.sync.SharedBarrier}</td></tr>
 *   <tr><td>{@code with lock:}</td><td>{@code try (LockHold h = lock.hold()) { ... }}</td></tr>
 * </table>
 *
 * <p><b>Dead processes.</b> Unlike Python's, these survive a process killed at any moment: a lock whose
 * owner died is taken over by the next acquirer, who is told ({@link io.mmipc.sync.LockOutcome}); semaphore
 * permits a dead process held are given back; a barrier one of whose processes died breaks instead of
 * hanging; a condition forgets a dead waiter.
 *
 * <p><b>Waiting</b> spins briefly, then sleeps in the kernel (see {@link io.mmipc.WaitMode}), so an idle
 * waiter costs no CPU. Blocking calls have timed forms, and {@code wait}, {@code notify} and
 * {@code notify_all}, which Java's {@code Object} reserves, are named {@code await}, {@code signal} and
 * {@code signalAll}.
 *
 * <p>Objects are created and opened through builders ({@link io.mmipc.sync.SyncBuilder}): in
 * {@link io.mmipc.SharedObjects#defaultDirectory()} by name, or in a folder or at a path of your choice.
 * Every object is {@link java.lang.AutoCloseable}; {@code unlink()} removes its name.
 */
package io.mmipc.sync;
