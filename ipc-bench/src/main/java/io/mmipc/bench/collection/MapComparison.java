package io.mmipc.bench.collection;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The shared-map comparison, all in one run: for each operation (get, put, merge), rounds of two processes
 * hammering one map for a fixed time — mmipc's {@code SharedMap}, Chronicle Map (its flags in its own JVMs),
 * and Python's {@code Manager().dict()} ({@code ipc-bench/python/manager_dict_bench.py}) — alternating
 * A B C A B C so that the machine's speed changes hit all alike. Prints the operations per second of both
 * processes together (median of the rounds) and the ratios.
 *
 * <p>Usage: {@code MapComparison [--seconds 2] [--rounds 3] [--python ipc-bench/python/manager_dict_bench.py]
 * [--no-chronicle]}.
 */
public final class MapComparison {
    private MapComparison() {
    }

    /** Runs the comparison and prints a Markdown table. */
    public static void main(String[] args) throws Exception {
        double seconds = 2;
        int rounds = 3;
        String python = "ipc-bench/python/manager_dict_bench.py";
        boolean chronicle = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds":
                    seconds = Double.parseDouble(args[++i]);
                    break;
                case "--rounds":
                    rounds = Integer.parseInt(args[++i]);
                    break;
                case "--python":
                    python = args[++i];
                    break;
                case "--no-chronicle":
                    chronicle = false;
                    break;
                default:
                    throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
        }
        long measureMs = (long) (seconds * 1000);
        Map<MapOps.Op, List<double[]>> results = new EnumMap<>(MapOps.Op.class);
        String chronicleNote = chronicle ? null : "skipped (--no-chronicle)";
        for (MapOps.Op op : MapOps.Op.values()) {
            List<double[]> perRound = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                double mmipc = twoProcesses(MapOps.Impl.MMIPC, op, measureMs);
                double cmap = Double.NaN;
                if (chronicleNote == null) {
                    try {
                        cmap = twoProcesses(MapOps.Impl.CHRONICLE, op, measureMs);
                    } catch (IOException e) {
                        chronicleNote = "failed here: " + e.getMessage();
                    }
                }
                double py = python(python, op, seconds);
                perRound.add(new double[] {mmipc, cmap, py});
                System.out.printf(Locale.ROOT, "%s round %d: mmipc %.0f ops/s, chronicle %.0f, python %.0f%n",
                        op, r + 1, mmipc, cmap, py);
            }
            results.put(op, perRound);
        }
        System.out.println();
        System.out.println("| 2 processes, ops/s (both together, median of " + rounds + ") | mmipc SharedMap "
                + "| Chronicle Map | Python Manager().dict() | mmipc ÷ Python | mmipc ÷ Chronicle |");
        System.out.println("|---|---|---|---|---|---|");
        for (Map.Entry<MapOps.Op, List<double[]>> e : results.entrySet()) {
            double m = median(e.getValue(), 0);
            double c = median(e.getValue(), 1);
            double p = median(e.getValue(), 2);
            System.out.printf(Locale.ROOT, "| %s | %,.0f | %,.0f | %,.0f | %.0f× | %.2f× |%n",
                    e.getKey().name().toLowerCase(Locale.ROOT), m, c, p, m / p, m / c);
        }
        if (chronicleNote != null) {
            System.out.println("Chronicle Map: " + chronicleNote);
        }
    }

    private static double median(List<double[]> rows, int column) {
        double[] v = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
        return v.length == 0 ? Double.NaN : v[v.length / 2];
    }

    /** Two peer JVMs on one fresh map, started together; returns their summed operations per second. */
    static double twoProcesses(MapOps.Impl impl, MapOps.Op op, long measureMs) throws IOException {
        Path shm = Path.of("/dev/shm");
        Path dir = Files.createTempDirectory(Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir")),
                "mmipc-bench-map-");
        try (MapPeer a = MapPeer.start(impl, op, dir, 1000, measureMs);
             MapPeer b = MapPeer.start(impl, op, dir, 1000, measureMs)) {
            a.go();
            b.go();
            return a.opsPerSecond() + b.opsPerSecond();
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /** Runs the Python baseline for one operation; returns both processes' operations per second. */
    static double python(String script, MapOps.Op op, double seconds) throws IOException, InterruptedException {
        String name = op.name().toLowerCase(Locale.ROOT);
        Process p = new ProcessBuilder("python3", script, "--ops", name, "--seconds", String.valueOf(seconds))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (p.waitFor() != 0) {
            throw new IOException("python baseline failed: " + out);
        }
        Matcher m = Pattern.compile("\"" + name + "\": ([0-9.eE+-]+)").matcher(out);
        if (!m.find()) {
            throw new IOException("python baseline printed no " + name + ": " + out);
        }
        return Double.parseDouble(m.group(1));
    }
}
