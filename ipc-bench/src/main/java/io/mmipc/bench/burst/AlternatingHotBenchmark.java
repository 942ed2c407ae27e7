package io.mmipc.bench.burst;

import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Blocks of back-to-back round trips (2000 by default), mmipc queue and Unix-domain socket in turn in the
 * same fork, no pause: the harness that showed the convoy (issue 17: queue 11.8 µs against the socket's 12.1
 * µs). Target: the queue's median ({@code .rest}) at most 0.25× the socket's. No JVM flags.
 */
@Fork(1)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 5, time = 2)
public class AlternatingHotBenchmark extends AbstractAlternating {
    /** Round trips per block. */
    @Param({"2000"})
    public int blockTrips;

    @Override
    protected int trips() {
        return blockTrips;
    }

    @Override
    protected long pauseNanos() {
        return 0;
    }
}
