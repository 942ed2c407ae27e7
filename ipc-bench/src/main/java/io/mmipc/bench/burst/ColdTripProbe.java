package io.mmipc.bench.burst;

import io.mmipc.bench.BenchSession;

import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * A probe, not a benchmark: {@code ColdTripProbe <transport[:idle]> <trips> [pauseMicros]} makes that many
 * round trips, each after an idle pause (default 2000 µs), and prints their median. Made to be run under
 * {@code strace -f -c} twice with different trip counts: the difference of the two counts, divided by the
 * difference of the trips, is the system calls of one cold round trip (both processes), start-up excluded.
 */
public final class ColdTripProbe {
    private ColdTripProbe() {
    }

    /**
     * @param args transport spec, trips, optional pause in µs
     * @throws Exception if the transport fails
     */
    public static void main(String[] args) throws Exception {
        String spec = args[0];
        int trips = Integer.parseInt(args[1]);
        long pauseNanos = (args.length > 2 ? Long.parseLong(args[2]) : 2000L) * 1000L;
        long[] rtt = new long[trips];
        try (BenchSession s = BenchSession.open(spec, 64)) {
            for (int i = 0; i < trips; i++) {
                LockSupport.parkNanos(pauseNanos);
                long t0 = System.nanoTime();
                s.roundTrip();
                rtt[i] = System.nanoTime() - t0;
            }
        }
        Arrays.sort(rtt);
        System.out.printf("%s: %d cold trips, median %.1f µs, p90 %.1f µs%n", spec, trips, rtt[trips / 2] / 1e3,
                rtt[trips * 9 / 10] / 1e3);
    }
}
