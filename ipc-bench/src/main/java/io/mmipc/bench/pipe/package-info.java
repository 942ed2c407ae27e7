/**
 * Pipe benchmarks between two JVM processes: round-trip latency and one-way throughput of mmipc's
 * {@link io.mmipc.pipe.SharedPipe} beside a Unix-domain socket, through the small {@link
 * io.mmipc.bench.pipe.PipeTransport} interface and a peer JVM ({@link io.mmipc.bench.pipe.PipePeer}).
 */
package io.mmipc.bench.pipe;
