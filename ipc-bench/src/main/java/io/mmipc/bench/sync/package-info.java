/**
 * Synchronization benchmarks between two JVM processes (issue 5): lock acquire/release
 * ({@link io.mmipc.bench.sync.LockBenchmark}) and shared-counter increments
 * ({@link io.mmipc.bench.sync.CounterBenchmark}), uncontended and contended by a peer JVM
 * ({@link io.mmipc.bench.sync.SyncPeer}), each beside a {@code FileChannel.lock()} baseline in the same run.
 */
package io.mmipc.bench.sync;
