/**
 * Shared-map benchmarks: mmipc's {@code SharedMap} beside Chronicle Map (JMH, {@link
 * io.mmipc.bench.collection.MapBenchmark}, {@link io.mmipc.bench.collection.MapChronicleBenchmark}) and, in one
 * alternating run, beside Python's {@code Manager().dict()} ({@link io.mmipc.bench.collection.MapComparison}).
 * Every measurement has two processes on one map.
 */
package io.mmipc.bench.collection;
