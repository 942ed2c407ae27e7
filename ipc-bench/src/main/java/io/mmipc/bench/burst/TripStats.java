package io.mmipc.bench.burst;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Round-trip times of one measurement iteration, per transport and trip position in its burst, collected by
 * the benchmark thread and read by {@link TripProfiler} after the iteration (same JVM, one thread at a time:
 * JMH runs the profiler's hook after the benchmark threads stopped).
 */
final class TripStats {
    /** Trips from this position on are "late": past any slow start, they show whether a slow state lasts. */
    static final int LATE_FROM = 10;

    private static final Map<String, Samples> BY_TRANSPORT = new LinkedHashMap<>();
    private static boolean recording;

    private TripStats() {
    }

    /** Samples of one transport: trip 1, trips 2..N, trips {@value #LATE_FROM}..N. */
    static final class Samples {
        final Longs first = new Longs();
        final Longs rest = new Longs();
        final Longs late = new Longs();
    }

    /** A growable array of longs. */
    static final class Longs {
        private long[] values = new long[1024];
        private int size;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        int size() {
            return size;
        }

        /** @return the {@code q} quantile (0..1) in nanoseconds, NaN if empty */
        double quantile(double q) {
            if (size == 0) {
                return Double.NaN;
            }
            long[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            return sorted[(int) Math.min(size - 1, Math.round(q * (size - 1)))];
        }
    }

    static synchronized void recording(boolean on) {
        recording = on;
        if (on) {
            BY_TRANSPORT.clear();
        }
    }

    /** Records trip {@code position} (1-based) of a burst on {@code transport}. */
    static synchronized void record(String transport, int position, long nanos) {
        if (!recording) {
            return;
        }
        Samples s = BY_TRANSPORT.computeIfAbsent(transport, t -> new Samples());
        if (position == 1) {
            s.first.add(nanos);
        } else {
            s.rest.add(nanos);
        }
        if (position >= LATE_FROM) {
            s.late.add(nanos);
        }
    }

    /** @return the samples of the iteration that just ended, by transport, and forgets them */
    static synchronized Map<String, Samples> drain() {
        Map<String, Samples> copy = new LinkedHashMap<>(BY_TRANSPORT);
        BY_TRANSPORT.clear();
        recording = false;
        return copy;
    }
}
