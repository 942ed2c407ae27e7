/**
 * Python's {@code multiprocessing.Value} and {@code Array} for Java: typed values and fixed-length arrays in
 * memory-mapped files, opened by name in any process.
 * <table>
 *   <caption>Python type codes to Java</caption>
 *   <tr><th>Python</th><th>value</th><th>array</th></tr>
 *   <tr><td>{@code 'i'} (int)</td><td>{@link io.mmipc.value.SharedInt}</td><td>{@link io.mmipc.value.SharedIntArray}</td></tr>
 *   <tr><td>{@code 'q'}, {@code 'l'} (64-bit)</td><td>{@link io.mmipc.value.SharedLong}</td>
 *       <td>{@link io.mmipc.value.SharedLongArray}</td></tr>
 *   <tr><td>{@code 'd'} (double)</td><td>{@link io.mmipc.value.SharedDouble}</td>
 *       <td>{@link io.mmipc.value.SharedDoubleArray}</td></tr>
 *   <tr><td>{@code 'b'}, {@code 'B'}, {@code 'c'}</td><td>{@link io.mmipc.value.SharedByte}</td>
 *       <td>{@link io.mmipc.value.SharedByteArray}</td></tr>
 *   <tr><td>{@code v.value}, {@code v.value = x}</td><td colspan="2">{@code get()}, {@code set(x)}; arrays
 *       {@code get(i)}, {@code set(i, x)}, {@code toArray()}, {@code copyFrom(...)}, {@code copyTo(...)}</td></tr>
 *   <tr><td>{@code lock=True} (default), {@code get_lock()}</td><td colspan="2">{@code lock(true)} (default),
 *       {@link io.mmipc.value.ValueBuilder#lock(boolean)}, {@code getLock()}: a
 *       {@link io.mmipc.sync.SharedRLock} in the same file</td></tr>
 * </table>
 *
 * <p>Beyond Python, each element has the atomic operations of {@code java.util.concurrent.atomic}
 * ({@code incrementAndGet}, {@code getAndAdd}, {@code compareAndSet}, {@code updateAndGet}, ...), which
 * need no lock. The lock is for compound updates that must not interleave, exactly as in Python:
 * <pre>{@code
 * try (LockHold h = counter.getLock().hold()) {   // with counter.get_lock():
 *     counter.set(counter.get() - 1);              //     counter.value -= 1
 * }
 * }</pre>
 * The lock is robust: if a process dies holding it, the next acquirer takes it over and is told
 * ({@link io.mmipc.sync.LockHold#ownerDied()}), so it can check the value it protects.
 */
package io.mmipc.value;
