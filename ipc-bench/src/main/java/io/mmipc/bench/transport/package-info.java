/**
 * Cross-process transports for the benchmarks, and the peer process that serves them.
 *
 * <p>A {@link io.mmipc.bench.transport.Transport} is one kind of channel between two JVMs (Unix-domain
 * socket, TCP loopback, Chronicle Queue, a raw Agrona ring, mmipc's queue and pipe); it makes the two ends
 * of a {@link io.mmipc.bench.transport.Channel}. The benchmark's JVM starts a
 * {@link io.mmipc.bench.transport.PeerProcess} (a child JVM running {@link io.mmipc.bench.transport.PeerMain}
 * in a private folder under {@code /dev/shm}), which serves its end and answers by the tiny
 * {@link io.mmipc.bench.transport.Protocol}: echo for round trips, count and acknowledge for throughput.
 *
 * <p>Flags: the mmipc transports, the sockets and {@link io.mmipc.bench.transport.IdleStrategies} need
 * none; Agrona's {@code UnsafeBuffer} and Chronicle Queue do, and declare them in
 * {@link io.mmipc.bench.transport.Transport#jvmFlags()} (for the peer) and in their benchmarks' fork options.
 */
package io.mmipc.bench.transport;
