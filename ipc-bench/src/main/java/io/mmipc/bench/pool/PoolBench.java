package io.mmipc.bench.pool;

import io.mmipc.process.PoolBuilder;
import io.mmipc.process.RemoteFunction;
import io.mmipc.process.SharedPool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * One run of the pool measurements of issue 18, printed as a Markdown table: for a pool of 2 workers, the
 * start-up time (builder to both workers' first results, median of three, after one unmeasured start that warms
 * this JVM, as Python's parent has its modules imported before its clock starts), the time from {@code apply} to its result for one
 * tiny task (median and p90 of 1000, after 200 warm-up), tiny-task throughput with one task per message (median
 * of {@value #PER_MESSAGE_RUNS} maps after one warm-up) and with {@code map}'s default chunking (the pool's first
 * such map on its own, which pays the workers' and this JVM's compilation of that path, then the median of
 * {@value #CHUNKED_RUNS} after one second of more: 20 000 chunked tasks take a few milliseconds, so one map says
 * more about the JIT's progress than about the pool), and the resident memory of an idle worker
 * (VmRSS from /proc); next to
 * an in-process {@code ExecutorService} of 2 threads and Python's {@code multiprocessing.Pool} ({@code spawn})
 * measured the same way by {@code ipc-bench/python/pool_bench.py}. Each JVM variant is a set of worker JVM
 * options; variants run one after the other in the same run.
 *
 * <p>Usage: {@code PoolBench [tasks] [python script]} (default 20000 tasks; the script is looked for under
 * {@code ipc-bench/python} and {@code python}).
 */
public final class PoolBench {
    /**
     * The one function every measurement sends, like Python's {@code inc}: one lambda, so a worker decodes it
     * once (in the warm-up) and the timed runs measure tasks, not a new function's first use.
     */
    private static final RemoteFunction<Integer, Integer> INC = x -> x + 1;
    /** Timed one-task-per-message maps (after one warm-up); the median is reported. */
    static final int PER_MESSAGE_RUNS = 3;
    /**
     * Untimed default-chunk maps between the first (reported on its own) and the timed ones, for this long: the
     * parent's C2 compiler thread still takes about 1 ms of CPU per 20 000-task map over its first 400 ms (a
     * profile of every thread's CPU), on the two cores the workers need.
     */
    static final long CHUNKED_WARMUP_NANOS = 1_000_000_000L;
    /** Timed default-chunk maps; the median is reported. */
    static final int CHUNKED_RUNS = 5;

    private PoolBench() {
    }

    /** A row of the table. */
    private record Row(String what, double startupMs, double medianUs, double p90Us, double perItem,
            double chunkedFirst, double chunked, String rssKib) {
        String markdown() {
            return String.format("| %s | %s | %s | %s | %s | %s | %s | %s |", what, fmt(startupMs, "%.0f"),
                    fmt(medianUs, "%.1f"), fmt(p90Us, "%.1f"), fmt(perItem, "%.0f"), fmt(chunkedFirst, "%.0f"),
                    fmt(chunked, "%.0f"), rssKib);
        }

        private static String fmt(double v, String f) {
            return Double.isNaN(v) ? "—" : String.format(f, v);
        }
    }

    /**
     * Runs the measurements.
     *
     * @param args optional task count and python script path
     * @throws Exception if a measurement fails
     */
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        List<Row> rows = new ArrayList<>();
        startup(SharedPool.builder().workers(2)); // this JVM's own class loading and JIT are not the workers' start-up
        System.out.println("java " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors()
                + " cores, " + n + " tasks");
        rows.add(measure("SharedPool, default worker options " + PoolBuilder.DEFAULT_WORKER_OPTIONS,
                SharedPool.builder().workers(2), n));
        rows.add(measure("SharedPool, no worker options", SharedPool.builder().workers(2).defaultWorkerOptions(false), n));
        rows.add(inProcess(n));
        rows.add(python(n, args.length > 1 ? Path.of(args[1]) : null));
        System.out.println();
        System.out.println("| 2 workers | start-up ms | apply→result median µs | p90 µs | tasks/s, 1 per message"
                + " | tasks/s, default chunks, first map | tasks/s, default chunks | idle worker RSS KiB |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---|");
        rows.forEach(r -> System.out.println(r.markdown()));
    }

    /** One timed pool call. */
    @FunctionalInterface
    private interface Run {
        void run() throws Exception;
    }

    /** @return tasks per second of one run of {@code n} tasks */
    private static double rate(int n, Run run) throws Exception {
        long t = System.nanoTime();
        run.run();
        return n / ((System.nanoTime() - t) / 1e9);
    }

    /** @return the median tasks per second of {@code runs} runs of {@code n} tasks */
    private static double medianRate(int n, Run run, int runs) throws Exception {
        double[] r = new double[runs];
        for (int i = 0; i < runs; i++) {
            r[i] = rate(n, run);
        }
        Arrays.sort(r);
        return r[runs / 2];
    }

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().collect(Collectors.toList());
    }

    /** @return the median of three start-ups: builder to one result from each worker (the pool then closed) */
    private static double startup(PoolBuilder builder) throws Exception {
        double[] ms = new double[3];
        for (int i = 0; i < ms.length; i++) {
            long t0 = System.nanoTime();
            try (SharedPool pool = builder.start()) {
                pool.map(INC, List.of(1, 2), 1);
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        Arrays.sort(ms);
        return ms[1];
    }

    private static Row measure(String what, PoolBuilder builder, int n) throws Exception {
        double startup = startup(builder);
        try (SharedPool pool = builder.start()) {
            for (int i = 0; i < 200; i++) {
                pool.apply(INC, i);
            }
            long[] lat = new long[1000];
            for (int i = 0; i < lat.length; i++) {
                long t = System.nanoTime();
                pool.apply(INC, i);
                lat[i] = System.nanoTime() - t;
            }
            Arrays.sort(lat);
            List<Integer> items = range(n);
            pool.map(INC, items, 1); // warm-up
            double perItem = medianRate(n, () -> pool.map(INC, items, 1), PER_MESSAGE_RUNS);
            double first = rate(n, () -> pool.map(INC, items));
            for (long end = System.nanoTime() + CHUNKED_WARMUP_NANOS; System.nanoTime() - end < 0; ) {
                pool.map(INC, items);
            }
            double chunked = medianRate(n, () -> pool.map(INC, items), CHUNKED_RUNS);
            Thread.sleep(500);
            String rss = pool.workerPids().stream().map(PoolBench::rssKib).map(String::valueOf)
                    .collect(Collectors.joining(", "));
            Row row = new Row(what, startup, lat[lat.length / 2] / 1e3, lat[lat.length * 9 / 10] / 1e3, perItem,
                    first, chunked, rss);
            System.out.println(row.markdown());
            return row;
        }
    }

    private static Row inProcess(int n) throws Exception {
        ExecutorService ex = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 200; i++) {
                int v = i;
                ex.submit(() -> v + 1).get();
            }
            long[] lat = new long[1000];
            for (int i = 0; i < lat.length; i++) {
                int v = i;
                long t = System.nanoTime();
                ex.submit(() -> v + 1).get();
                lat[i] = System.nanoTime() - t;
            }
            Arrays.sort(lat);
            Run all = () -> {
                List<Future<Integer>> fs = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    int v = i;
                    fs.add(ex.submit(() -> v + 1));
                }
                for (Future<Integer> f : fs) {
                    f.get();
                }
            };
            all.run(); // warm-up, as for the pools
            double perItem = medianRate(n, all, PER_MESSAGE_RUNS);
            Row row = new Row("in-process ExecutorService, 2 threads", Double.NaN, lat[lat.length / 2] / 1e3,
                    lat[lat.length * 9 / 10] / 1e3, perItem, Double.NaN, Double.NaN, "—");
            System.out.println(row.markdown());
            return row;
        } finally {
            ex.shutdownNow();
            ex.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static Row python(int n, Path given) throws IOException, InterruptedException {
        Path script = given;
        for (String c : new String[] {"ipc-bench/python/pool_bench.py", "python/pool_bench.py"}) {
            if (script == null && Files.exists(Path.of(c))) {
                script = Path.of(c);
            }
        }
        if (script == null) {
            return new Row("Python multiprocessing.Pool: pool_bench.py not found", Double.NaN, Double.NaN,
                    Double.NaN, Double.NaN, Double.NaN, Double.NaN, "—");
        }
        Process p = new ProcessBuilder("python3", script.toString(), Integer.toString(n))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String json = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(300, TimeUnit.SECONDS) || json.isEmpty()) {
            p.destroyForcibly();
            return new Row("Python multiprocessing.Pool: failed", Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, Double.NaN, "—");
        }
        Row row = new Row("Python 3 multiprocessing.Pool (spawn)", num(json, "startup_ms"),
                num(json, "latency_median_us"), num(json, "latency_p90_us"), num(json, "tasks_per_s_chunk1"),
                num(json, "tasks_per_s_default_chunk_first"), num(json, "tasks_per_s_default_chunk"), json.replaceAll(".*\"idle_worker_rss_kib\": \\[([^]]*)].*", "$1"));
        System.out.println(row.markdown());
        return row;
    }

    private static double num(String json, String key) {
        String v = json.replaceAll(".*\"" + key + "\": ([0-9.eE+-]+).*", "$1");
        return Double.parseDouble(v);
    }

    /** @return the resident memory of a process in KiB (VmRSS), or -1 */
    static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            // gone
        }
        return -1;
    }
}
