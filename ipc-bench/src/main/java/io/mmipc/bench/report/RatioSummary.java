package io.mmipc.bench.report;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Combines repeated runs of the suite ({@code scripts/bench --quick --runs 3}): for every ratio mmipc ÷ other
 * transport (same run, same payload), the median over the runs and its spread (lowest–highest), so that one
 * lucky or unlucky run does not make a claim.
 *
 * <pre>
 * RatioSummary &lt;out.md&gt; &lt;run-folder&gt; &lt;run-folder&gt; ...
 * </pre>
 */
public final class RatioSummary {
    private static final Measure[] MEASURES = {Measure.RTT_MEDIAN, Measure.RTT_P99, Measure.MSGS,
        Measure.COLD_RTT_MEDIAN, Measure.BURST_FIRST, Measure.BURST_LATE, Measure.HOT_ALTERNATING};

    private RatioSummary() {
    }

    /**
     * @param args output file, then the run folders
     * @throws Exception if a file cannot be read or written
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: RatioSummary <out.md> <run-folder>...");
            System.exit(2);
        }
        List<Results> runs = new ArrayList<>();
        List<String> loads = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            Path dir = Path.of(args[i]);
            runs.add(Results.load(dir.resolve("jmh.json"), dir.resolve("python.json"), null));
            Path run = dir.resolve("run.txt");
            loads.add(dir.getFileName() + ": " + (Files.exists(run) ? String.join("; ",
                    Files.readAllLines(run, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith("load")).toList())
                    : "no run.txt"));
        }
        StringBuilder out = new StringBuilder("# Ratios over " + runs.size() + " runs: median [lowest–highest]\n\n");
        loads.forEach(l -> out.append("- ").append(l).append('\n'));
        out.append("\nEach ratio is taken within one run (mmipc ÷ other, same payload); the median and spread are "
                + "over the runs. Latency: below 1 means mmipc is faster; throughput: above 1.\n\n");
        for (Measure m : MEASURES) {
            Map<String, List<Double>> ratios = ratios(runs, m);
            if (ratios.isEmpty()) {
                continue;
            }
            out.append("## ").append(m.title()).append(" (").append(m.unit()).append(")\n\n");
            out.append("| mmipc ÷ other, payload | median | spread | runs |\n|---|---:|---:|---:|\n");
            ratios.forEach((k, v) -> {
                List<Double> sorted = new ArrayList<>(v);
                sorted.sort(Double::compare);
                out.append("| ").append(k).append(" | ").append(Markdown.ratio(median(sorted))).append(" | ")
                        .append(Markdown.ratio(sorted.get(0))).append("–")
                        .append(Markdown.ratio(sorted.get(sorted.size() - 1))).append(" | ").append(sorted.size())
                        .append(" |\n");
            });
            out.append('\n');
        }
        Files.writeString(Path.of(args[0]), out.toString(), StandardCharsets.UTF_8);
        System.out.println("ratio summary: " + args[0]);
    }

    private static Map<String, List<Double>> ratios(List<Results> runs, Measure m) {
        Map<String, List<Double>> all = new LinkedHashMap<>();
        for (Results r : runs) {
            Map<String, TreeMap<Integer, Double>> byT = r.of(m);
            byT.forEach((a, aSizes) -> {
                if (!Results.isMmipc(a)) {
                    return;
                }
                byT.forEach((b, bSizes) -> {
                    if (Results.isMmipc(b) || !Results.comparable(a, b) || alternating(m)
                            && a.endsWith(":futex") != b.endsWith(Results.FUTEX_FORK)) {
                        return; // the alternating regimes compare only within one fork
                    }
                    aSizes.forEach((size, x) -> {
                        Double y = bSizes.get(size);
                        if (y != null && y != 0) {
                            all.computeIfAbsent(String.format(Locale.ROOT, "%s ÷ %s, %s", a, b,
                                    Markdown.sizeLabel(size)), k -> new ArrayList<>()).add(x / y);
                        }
                    });
                });
            });
        }
        return all;
    }

    private static boolean alternating(Measure m) {
        return m == Measure.BURST_FIRST || m == Measure.BURST_LATE || m == Measure.HOT_ALTERNATING;
    }

    private static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
