/**
 * The many-to-many benchmark of mmipc's queue: two producer and two consumer processes on one
 * {@link io.mmipc.queue.SharedQueue} ({@link io.mmipc.bench.fan.FanSession}, {@link io.mmipc.bench.fan.FanPeer}),
 * measured by {@link io.mmipc.bench.ThroughputQueue2x2Benchmark}. Point-to-point transports cannot do this
 * (a Chronicle tailer sees every message; an Agrona one-to-one ring has one consumer), so its peer is Python's
 * {@code multiprocessing.Queue} with the same 2 × 2 processes.
 */
package io.mmipc.bench.fan;
