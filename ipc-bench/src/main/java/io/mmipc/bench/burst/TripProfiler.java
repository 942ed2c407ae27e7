package io.mmipc.bench.burst;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Publishes {@link TripStats} as JMH secondary results (averaged over measurement iterations), so they land
 * in {@code jmh.json} beside every other number: {@code <transport>.first} (median of trip 1 of each burst),
 * {@code <transport>.rest} (median of trips 2..N), {@code <transport>.late} (median of trips
 * {@value TripStats#LATE_FROM}..N) and {@code <transport>.firstP90}, in µs. Run with
 * {@code -prof io.mmipc.bench.burst.TripProfiler}.
 */
public final class TripProfiler implements InternalProfiler {
    /** Creates the profiler (JMH instantiates it by class name). */
    public TripProfiler() {
    }

    @Override
    public String getDescription() {
        return "per-trip medians of the alternating mmipc/socket regimes";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        // TripStats is switched on by the benchmark's own iteration set-up.
    }

    @Override
    @SuppressWarnings("rawtypes") // JMH's own signature: Result is generic over itself
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        List<Result> out = new ArrayList<>();
        for (Map.Entry<String, TripStats.Samples> e : TripStats.drain().entrySet()) {
            String t = e.getKey();
            TripStats.Samples s = e.getValue();
            add(out, t + ".first", s.first.quantile(0.5));
            add(out, t + ".firstP90", s.first.quantile(0.9));
            add(out, t + ".rest", s.rest.quantile(0.5));
            add(out, t + ".late", s.late.quantile(0.5));
        }
        return out;
    }

    @SuppressWarnings("rawtypes")
    private static void add(List<Result> out, String label, double nanos) {
        if (!Double.isNaN(nanos)) {
            out.add(new ScalarResult(label, nanos / 1000.0, "µs", AggregationPolicy.AVG));
        }
    }
}
