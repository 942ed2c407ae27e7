package io.mmipc.bench.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The numbers of one run, read from JMH's JSON ({@code -rf json}), the Python script's JSON and the idle
 * probe's JSON: measure → transport → payload size → value. Transports keep the order they first appear in.
 */
public final class Results {
    /** Benchmarks of this module's harness (not, say, {@code io.mmipc.bench.sync}). */
    private static final String HARNESS = "io.mmipc.bench.";
    /** The alternating regimes' package, read with the harness. */
    private static final String BURST = "burst.";
    /** Suffix of a peer measured in the fork of a futex benchmark class (the reference of that class only). */
    public static final String FUTEX_FORK = " (futex fork)";

    private final Map<Measure, Map<String, TreeMap<Integer, Double>>> values = new EnumMap<>(Measure.class);
    private final List<String[]> idle = new ArrayList<>();
    private final Map<String, String> jvmArgs = new LinkedHashMap<>();
    private final Map<String, String> run = new LinkedHashMap<>();

    /**
     * Reads whichever of the three files exist.
     *
     * @param jmh    JMH JSON, or null
     * @param python mp_bench.py JSON, or null
     * @param idleCpu IdleCpu JSON, or null
     * @return the results
     * @throws IOException if a file cannot be read
     */
    public static Results load(Path jmh, Path python, Path idleCpu) throws IOException {
        Results r = new Results();
        if (jmh != null && Files.exists(jmh)) {
            r.readJmh(parse(jmh).getAsJsonArray());
        }
        if (python != null && Files.exists(python)) {
            r.readPython(parse(python).getAsJsonObject());
        }
        if (idleCpu != null && Files.exists(idleCpu)) {
            for (JsonElement e : parse(idleCpu).getAsJsonArray()) {
                JsonObject o = e.getAsJsonObject();
                r.idle.add(new String[] {o.get("transport").getAsString(), o.get("idle").getAsString(),
                    Double.toString(o.get("cpuPercent").getAsDouble()), Double.toString(o.get("seconds").getAsDouble())});
            }
        }
        return r;
    }

    private static JsonElement parse(Path p) throws IOException {
        return JsonParser.parseString(Files.readString(p, StandardCharsets.UTF_8));
    }

    private void readJmh(JsonArray all) {
        for (JsonElement e : all) {
            JsonObject b = e.getAsJsonObject();
            String name = b.get("benchmark").getAsString();
            String simple = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            // The harness's own classes, and its burst package (the alternating regimes); not sync or fan.
            String local = name.startsWith(HARNESS + BURST) ? name.substring((HARNESS + BURST).length())
                    : name.startsWith(HARNESS) ? name.substring(HARNESS.length()) : null;
            if (local == null || local.indexOf('.') != local.lastIndexOf('.')) {
                continue;
            }
            if (run.isEmpty()) {
                run.put("JDK", b.get("jdkVersion").getAsString() + " (" + b.get("vmName").getAsString() + ")");
                run.put("JMH", b.get("jmhVersion").getAsString());
                run.put("warm-up", b.get("warmupIterations").getAsInt() + " × " + b.get("warmupTime").getAsString());
                run.put("measurement", b.get("measurementIterations").getAsInt() + " × "
                        + b.get("measurementTime").getAsString() + ", " + b.get("forks").getAsInt() + " fork");
            }
            String cls = simple.substring(0, simple.indexOf('.'));
            List<String> args = new ArrayList<>();
            b.getAsJsonArray("jvmArgs").forEach(a -> args.add(a.getAsString()));
            jvmArgs.put(cls, args.isEmpty() ? "(none)" : String.join(" ", args));
            JsonObject params = b.getAsJsonObject("params");
            String transport = params.has("transport") ? params.get("transport").getAsString() : "";
            int size = params.get("size").getAsInt();
            JsonObject primary = b.getAsJsonObject("primaryMetric");
            if (name.endsWith(".roundTrip")) {
                JsonObject pct = primary.getAsJsonObject("scorePercentiles");
                put(Measure.RTT_MEDIAN, transport, size, pct.get("50.0").getAsDouble());
                put(Measure.RTT_P99, transport, size, pct.get("99.0").getAsDouble());
                put(Measure.RTT_P999, transport, size, pct.get("99.9").getAsDouble());
            } else if (name.endsWith(".coldRoundTrip")) {
                JsonObject pct = primary.getAsJsonObject("scorePercentiles");
                put(Measure.COLD_RTT_MEDIAN, transport, size, pct.get("50.0").getAsDouble());
                put(Measure.COLD_RTT_P99, transport, size, pct.get("99.0").getAsDouble());
            } else if (name.endsWith(".burst")) {
                readAlternating(cls, b.getAsJsonObject("secondaryMetrics"), size);
            } else if (name.endsWith(".oneWay")) {
                JsonObject secondary = b.getAsJsonObject("secondaryMetrics");
                put(Measure.MSGS, transport, size, secondary.getAsJsonObject("messages").get("score").getAsDouble());
                put(Measure.MBS, transport, size, secondary.getAsJsonObject("bytes").get("score").getAsDouble() / 1e6);
            }
        }
    }

    /**
     * The alternating regimes ({@code io.mmipc.bench.burst}): one benchmark, several transports, per-trip
     * medians as secondary results named {@code <transport>.first|rest|late} (TripProfiler).
     */
    private void readAlternating(String cls, JsonObject secondary, int size) {
        if (secondary == null) {
            return;
        }
        boolean hot = cls.startsWith("AlternatingHot");
        for (Map.Entry<String, JsonElement> e : secondary.entrySet()) {
            String key = e.getKey();
            int dot = key.lastIndexOf('.');
            if (dot < 0) {
                continue;
            }
            String transport = key.substring(0, dot);
            if (cls.contains("Futex") && !isMmipc(transport)) {
                transport += FUTEX_FORK; // the socket of that fork, the futex variant's own reference
            }
            double v = e.getValue().getAsJsonObject().get("score").getAsDouble();
            switch (key.substring(dot + 1)) {
                case "first" -> {
                    if (!hot) {
                        put(Measure.BURST_FIRST, transport, size, v);
                    }
                }
                case "late" -> {
                    if (!hot) {
                        put(Measure.BURST_LATE, transport, size, v);
                    }
                }
                case "rest" -> {
                    if (hot) {
                        put(Measure.HOT_ALTERNATING, transport, size, v);
                    }
                }
                default -> {
                    // firstP90 and the like: in jmh.json, not in the report
                }
            }
        }
    }

    private void readPython(JsonObject doc) {
        run.put("Python", doc.get("implementation").getAsString() + " " + doc.get("python").getAsString()
                + " (multiprocessing start method " + doc.get("start_method").getAsString() + ")");
        for (JsonElement e : doc.getAsJsonArray("results")) {
            JsonObject o = e.getAsJsonObject();
            String transport = o.get("transport").getAsString();
            int size = o.get("size").getAsInt();
            if (o.has("rtt_us")) {
                JsonObject rtt = o.getAsJsonObject("rtt_us");
                put(Measure.RTT_MEDIAN, transport, size, rtt.get("median").getAsDouble());
                put(Measure.RTT_P99, transport, size, rtt.get("p99").getAsDouble());
                put(Measure.RTT_P999, transport, size, rtt.get("p999").getAsDouble());
            }
            JsonObject t = o.getAsJsonObject("throughput");
            put(Measure.MSGS, transport, size, t.get("messages_per_s").getAsDouble());
            put(Measure.MBS, transport, size, t.get("mb_per_s").getAsDouble());
        }
    }

    private void put(Measure m, String transport, int size, double v) {
        values.computeIfAbsent(m, k -> new LinkedHashMap<>()).computeIfAbsent(transport, k -> new TreeMap<>())
                .put(size, v);
    }

    /** @return transport → size → value for {@code m} (empty if not measured) */
    public Map<String, TreeMap<Integer, Double>> of(Measure m) {
        return values.getOrDefault(m, Map.of());
    }

    /** @return every payload size seen, ascending */
    public List<Integer> sizes() {
        TreeSet<Integer> s = new TreeSet<>();
        values.values().forEach(byT -> byT.values().forEach(bySize -> s.addAll(bySize.keySet())));
        return new ArrayList<>(s);
    }

    /** @return idle rows: transport, idle mode, % of a core, seconds measured */
    public List<String[]> idle() {
        return idle;
    }

    /** @return benchmark class → the JVM flags its fork got */
    public Map<String, String> jvmArgs() {
        return jvmArgs;
    }

    /** @return facts about the run (JDK, JMH, iterations, Python) */
    public Map<String, String> run() {
        return run;
    }

    /**
     * @param transport a transport label, {@code name} or {@code name:idle}
     * @return whether it is one of mmipc's
     */
    public static boolean isMmipc(String transport) {
        return transport.startsWith("mmipc-");
    }

    /**
     * @param mmipc an mmipc transport label
     * @param other a non-mmipc transport label
     * @return whether a ratio of the two is fair: a busy-spinning mmipc variant only against busy-spinning
     *     peers, the 2 × 2 process queue only against another 2 × 2, a futex fork's peer only against the
     *     futex variant
     */
    public static boolean comparable(String mmipc, String other) {
        return !(isBusySpin(mmipc) && !isBusySpin(other)) && mmipc.endsWith("-2x2") == other.endsWith("-2x2")
                && (!other.endsWith(FUTEX_FORK) || mmipc.endsWith(":futex"));
    }

    /**
     * @param transport a transport label, {@code name} or {@code name:idle}
     * @return whether its waiting side busy-spins: an explicit {@code :spin}, or the Agrona ring and Chronicle
     *     queue with their default idle strategy
     */
    public static boolean isBusySpin(String transport) {
        return transport.endsWith(":spin") || transport.equals("agrona") || transport.equals("chronicle");
    }
}
