/**
 * JMH benchmarks of mmipc between two real processes, beside Unix-domain and TCP sockets, Chronicle Queue
 * and a raw Agrona ring (the floor).
 *
 * <p>Every trial starts a peer JVM ({@link io.mmipc.bench.transport.PeerProcess}) in its setup, so nothing
 * in-process poses as cross-process. {@link io.mmipc.bench.AbstractRoundTrip} measures round-trip latency in
 * sample mode; {@link io.mmipc.bench.AbstractThroughput} one-way throughput, acknowledged end to end. Each has
 * one subclass per set of JVM flags: the {@code *Benchmark} classes (mmipc and sockets) fork with no flags,
 * the {@code *ChronicleBenchmark} and {@code *AgronaBenchmark} classes with what those libraries need.
 *
 * <p>Run everything with {@code scripts/bench} (full, {@code --quick}, {@code --smoke}); it also runs the idle
 * probe ({@link io.mmipc.bench.idle}), the Python comparison ({@code ipc-bench/python/mp_bench.py}) and the
 * report ({@link io.mmipc.bench.report}).
 */
package io.mmipc.bench;
