package io.mmipc.bench.report;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one run's results into {@code report.md} and one PNG chart per measure, in the run's folder.
 *
 * <pre>
 * Report &lt;run-folder&gt; [title]
 * </pre>
 * It reads {@code jmh.json} (JMH {@code -rf json}), {@code python.json} ({@code mp_bench.py}) and
 * {@code idle.json} ({@link io.mmipc.bench.idle.IdleCpu}) from the folder, whichever exist.
 */
public final class Report {
    private Report() {
    }

    /**
     * @param args run folder, optional title
     * @throws Exception if a file cannot be read or written
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: Report <run-folder> [title]");
            System.exit(2);
        }
        System.setProperty("java.awt.headless", "true");
        Path dir = Path.of(args[0]);
        String title = args.length > 1 ? args[1] : "mmipc benchmarks: " + dir.getFileName();
        Results results = Results.load(dir.resolve("jmh.json"), dir.resolve("python.json"), dir.resolve("idle.json"));
        List<String> charts = new ArrayList<>();
        for (Measure m : Measure.values()) {
            try {
                String f = Charts.draw(results, m, dir);
                if (f != null) {
                    charts.add(f);
                }
            } catch (RuntimeException e) {
                System.err.println("report: no chart for " + m + " " + results.of(m) + ": " + e);
            }
        }
        String idle = Charts.drawIdle(results, dir);
        if (idle != null) {
            charts.add(idle);
        }
        Path md = dir.resolve("report.md");
        Files.writeString(md, new Markdown(results).render(title, charts), StandardCharsets.UTF_8);
        System.out.println("report: " + md + " and " + charts.size() + " charts");
    }
}
