package io.mmipc.bench.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One PNG per measure, drawn by XChart: grouped bars, one group per payload size, one bar per transport,
 * logarithmic value axis. Needs {@code -Djava.awt.headless=true} on a machine without a display.
 */
final class Charts {
    private static final int WIDTH = 1100;
    private static final int HEIGHT = 600;

    private Charts() {
    }

    /**
     * Draws {@code m} into {@code dir/<m.file()>.png} if there is anything to draw.
     *
     * @return the file name written, or null
     */
    static String draw(Results results, Measure m, Path dir) throws IOException {
        Map<String, TreeMap<Integer, Double>> byT = results.of(m);
        if (byT.isEmpty()) {
            return null;
        }
        List<Integer> sizes = results.sizes();
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title(m.title() + " (" + m.unit() + ", " + (m.higherIsBetter() ? "higher" : "lower") + " is better)")
                .xAxisTitle("payload").yAxisTitle(m.unit()).build();
        Styler s = chart.getStyler();
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setAvailableSpaceFill(0.9);
        List<String> labels = new ArrayList<>();
        sizes.forEach(size -> labels.add(Markdown.sizeLabel(size)));
        double min = Double.MAX_VALUE;
        double max = 0;
        for (Map.Entry<String, TreeMap<Integer, Double>> e : byT.entrySet()) {
            List<Double> ys = new ArrayList<>();
            for (int size : sizes) {
                Double v = e.getValue().get(size);
                // A log axis cannot show 0 or a missing value: draw nothing there (NaN is skipped).
                ys.add(v == null || v <= 0 ? Double.NaN : v);
                if (v != null && v > 0) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
            chart.addSeries(e.getKey(), labels, ys);
        }
        if (max == 0) {
            return null;
        }
        // Bars start at the axis minimum, which XChart puts at 0 unless told: whole decades around the data.
        chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(min))));
        chart.getStyler().setYAxisMax(Math.pow(10, Math.ceil(Math.log10(max))));
        String file = m.file() + ".png";
        BitmapEncoder.saveBitmap(chart, dir.resolve(file).toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }

    /** Draws the idle cost as one bar per transport and idle strategy, into {@code dir/idle-cpu.png}. */
    static String drawIdle(Results results, Path dir) throws IOException {
        if (results.idle().isEmpty()) {
            return null;
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Idle cost: CPU of a process blocked on an empty channel (lower is better)")
                .xAxisTitle("transport:idle strategy").yAxisTitle("% of a core").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(30);
        List<String> labels = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (String[] r : results.idle()) {
            labels.add(r[0] + ":" + r[1]);
            ys.add(Double.parseDouble(r[2]));
        }
        chart.addSeries("% of a core", labels, ys);
        String file = "idle-cpu.png";
        BitmapEncoder.saveBitmap(chart, dir.resolve(file).toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }
}
