package io.mmipc.bench.burst;

import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 17's "burst after pause": an idle gap of 1-5 ms (both sides asleep), then {@link #burstTrips}
 * back-to-back round trips; trip 1 is a cold wake-up, trips from {@value TripStats#LATE_FROM} on must be
 * within 2× the hot round trip (no slow state that traffic cannot leave). mmipc queue and Unix-domain socket
 * alternate in the same fork; no JVM flags.
 */
@Fork(1)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 5, time = 2)
public class BurstAfterPauseBenchmark extends AbstractAlternating {
    /** Round trips per burst. */
    @Param({"50"})
    public int burstTrips;

    @Override
    protected int trips() {
        return burstTrips;
    }

    @Override
    protected long pauseNanos() {
        return between(1_000_000L, 5_000_000L);
    }
}
