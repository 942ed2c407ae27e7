package io.mmipc.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the report's Markdown: the run, the absolute numbers, the ratios mmipc ÷ every other transport
 * (same run), the idle cost and the charts.
 */
final class Markdown {
    private static final Measure[] RATIO_MEASURES = {Measure.RTT_MEDIAN, Measure.RTT_P99, Measure.RTT_P999, Measure.MSGS};

    private final Results results;
    private final List<Integer> sizes;
    private final StringBuilder out = new StringBuilder();

    Markdown(Results results) {
        this.results = results;
        this.sizes = results.sizes();
    }

    String render(String title, List<String> charts) {
        out.append("# ").append(title).append("\n\n");
        results.run().forEach((k, v) -> out.append("- ").append(k).append(": ").append(v).append('\n'));
        out.append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version")).append("\n\n");
        out.append("Every number comes from two real processes. Compare only numbers of the same run: this kind of "
                + "machine changes speed between runs.\n\n");
        ratios();
        absolute("Round trip (µs): median / p99 / p99.9", Measure.RTT_MEDIAN, Measure.RTT_P99, Measure.RTT_P999);
        absolute("One-way throughput: messages/s / MB/s", Measure.MSGS, Measure.MBS);
        absolute("Cold round trip, both sides idle 2 ms before each message (µs): median / p99",
                Measure.COLD_RTT_MEDIAN, Measure.COLD_RTT_P99);
        coldRatios();
        alternating();
        idle();
        flags();
        if (!charts.isEmpty()) {
            out.append("## Charts\n\n");
            charts.forEach(c -> out.append("![").append(c).append("](").append(c).append(")\n\n"));
        }
        return out.toString();
    }

    private void ratios() {
        out.append("## Ratios: mmipc ÷ each other transport (same run)\n\n");
        List<String> mmipc = new ArrayList<>();
        List<String> peers = new ArrayList<>();
        results.of(Measure.RTT_MEDIAN).keySet().forEach(t -> (Results.isMmipc(t) ? mmipc : peers).add(t));
        results.of(Measure.MSGS).keySet().stream().filter(t -> !mmipc.contains(t) && !peers.contains(t))
                .forEach(t -> (Results.isMmipc(t) ? mmipc : peers).add(t));
        if (mmipc.isEmpty()) {
            out.append("No mmipc transport in this run: no ratios.\n\n");
            return;
        }
        out.append("Each cell is the mmipc transport's number divided by the other's, for the same payload in this "
                + "run. Latency: below 1 means mmipc is faster. Throughput: above 1 means mmipc is faster. mmipc's "
                + "busy-spinning variants (`:spin`) are compared with the busy-spinning peers only (Agrona ring, "
                + "Chronicle tailer); the 2 × 2 process queue (`-2x2`) with Python's 2 × 2 Queue only.\n\n");
        for (Measure m : RATIO_MEASURES) {
            Map<String, TreeMap<Integer, Double>> byT = results.of(m);
            out.append("### ").append(m.title()).append(" (").append(m.unit()).append(")\n\n");
            header("mmipc ÷ other");
            for (String a : mmipc) {
                for (String b : peers) {
                    if (!byT.containsKey(a) || !byT.containsKey(b) || !Results.comparable(a, b)) {
                        continue;
                    }
                    out.append("| ").append(a).append(" ÷ ").append(b);
                    for (int s : sizes) {
                        Double x = byT.get(a).get(s);
                        Double y = byT.get(b).get(s);
                        out.append(" | ").append(x == null || y == null || y == 0 ? "–" : ratio(x / y));
                    }
                    out.append(" |\n");
                }
            }
            out.append('\n');
        }
    }

    private void absolute(String heading, Measure... measures) {
        Map<String, TreeMap<Integer, Double>> first = results.of(measures[0]);
        if (first.isEmpty()) {
            return;
        }
        out.append("## ").append(heading).append("\n\n");
        header("transport");
        for (String t : first.keySet()) {
            out.append("| ").append(t);
            for (int s : sizes) {
                List<String> cells = new ArrayList<>();
                for (Measure m : measures) {
                    Double v = results.of(m).getOrDefault(t, new TreeMap<>()).get(s);
                    cells.add(v == null ? "–" : number(v));
                }
                out.append(" | ").append(String.join(" / ", cells));
            }
            out.append(" |\n");
        }
        out.append('\n');
    }

    /** Issue 11's targets are stated against the Unix-domain socket: mmipc's cold median ÷ the socket's. */
    private void coldRatios() {
        Map<String, TreeMap<Integer, Double>> cold = results.of(Measure.COLD_RTT_MEDIAN);
        TreeMap<Integer, Double> uds = cold.get("uds");
        if (uds == null) {
            return;
        }
        out.append("Cold median, mmipc ÷ Unix-domain socket (same run; below 1 means mmipc wakes faster):\n\n");
        header("mmipc ÷ uds");
        cold.forEach((t, bySize) -> {
            if (!Results.isMmipc(t)) {
                return;
            }
            out.append("| ").append(t);
            for (int s : sizes) {
                Double a = bySize.get(s);
                Double b = uds.get(s);
                out.append(" | ").append(a == null || b == null ? "–" : number(a / b));
            }
            out.append(" |\n");
        });
        out.append('\n');
    }

    /** Issue 17's regimes: mmipc and the socket alternating in one fork; ratios mmipc ÷ uds. */
    private void alternating() {
        Measure[] ms = {Measure.BURST_FIRST, Measure.BURST_LATE, Measure.HOT_ALTERNATING};
        if (results.of(Measure.BURST_FIRST).isEmpty() && results.of(Measure.HOT_ALTERNATING).isEmpty()) {
            return;
        }
        out.append("## Burst after pause and back-to-back blocks, mmipc and socket alternating in one fork (µs)\n\n");
        out.append("Burst: 1-5 ms idle (both sides asleep), then back-to-back round trips; trip 1 is a cold wake-up, "
                + "trips 10..N show whether a slow state lasts (target: within 2× the hot round trip). Blocks: "
                + "2000 back-to-back round trips, queue and socket in turn (target: mmipc ≤ 0.25× the socket). "
                + "Each cell: median, and in brackets mmipc ÷ uds of the same run.\n\n");
        for (Measure m : ms) {
            Map<String, TreeMap<Integer, Double>> byT = results.of(m);
            if (byT.isEmpty()) {
                continue;
            }
            out.append("### ").append(m.title()).append("\n\n");
            header("transport");
            byT.forEach((t, bySize) -> {
                out.append("| ").append(t);
                TreeMap<Integer, Double> uds = byT.get(t.endsWith(":futex") ? "uds" + Results.FUTEX_FORK : "uds");
                for (int s : sizes) {
                    Double v = bySize.get(s);
                    Double u = uds == null ? null : uds.get(s);
                    out.append(" | ").append(v == null ? "–" : number(v)
                            + (u == null || !Results.isMmipc(t) ? "" : " (" + ratio(v / u) + "×)"));
                }
                out.append(" |\n");
            });
            out.append('\n');
        }
    }

    private void idle() {
        if (results.idle().isEmpty()) {
            return;
        }
        out.append("## Idle cost: CPU of a process blocked on an empty channel\n\n");
        out.append("| transport | idle strategy | % of a core | measured for |\n|---|---|---:|---:|\n");
        for (String[] r : results.idle()) {
            out.append("| ").append(r[0]).append(" | ").append(r[1]).append(" | ")
                    .append(String.format(Locale.ROOT, "%.1f", Double.parseDouble(r[2]))).append(" | ")
                    .append(String.format(Locale.ROOT, "%.1f s", Double.parseDouble(r[3]))).append(" |\n");
        }
        out.append('\n');
    }

    private void flags() {
        if (results.jvmArgs().isEmpty()) {
            return;
        }
        out.append("## JVM flags of each benchmark fork (the peer JVM gets its transport's flags too)\n\n");
        out.append("| benchmark | flags |\n|---|---|\n");
        results.jvmArgs().forEach((k, v) -> out.append("| ").append(k).append(" | `").append(v).append("` |\n"));
        out.append('\n');
    }

    private void header(String first) {
        out.append("| ").append(first);
        sizes.forEach(s -> out.append(" | ").append(sizeLabel(s)));
        out.append(" |\n|---");
        sizes.forEach(s -> out.append("|---:"));
        out.append("|\n");
    }

    static String sizeLabel(int bytes) {
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " B";
    }

    static String ratio(double r) {
        return String.format(Locale.ROOT, r >= 10 ? "%.0f" : r >= 1 ? "%.2f" : "%.3f", r);
    }

    static String number(double v) {
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.2f M", v / 1e6);
        }
        if (v >= 1e4) {
            return String.format(Locale.ROOT, "%.0f k", v / 1e3);
        }
        if (v >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (v >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
