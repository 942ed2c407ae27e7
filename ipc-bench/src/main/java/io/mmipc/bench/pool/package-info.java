/** Start-up, throughput, latency and footprint of {@link io.mmipc.process.SharedPool} against Python's Pool. */
package io.mmipc.bench.pool;
