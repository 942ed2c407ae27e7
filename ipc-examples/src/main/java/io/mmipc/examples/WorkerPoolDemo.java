package io.mmipc.examples;

import io.mmipc.SharedObjects;
import io.mmipc.codec.Codecs;
import io.mmipc.process.SharedProcess;
import io.mmipc.queue.SharedJoinableQueue;
import io.mmipc.queue.SharedQueue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The main job: real worker processes sharing a job queue and a result queue, as in Python's
 * {@code multiprocessing} worker-pool example, then a ping-pong between two processes.
 *
 * <pre>
 *   main ──put jobs──▶ [jobs: SharedJoinableQueue] ──get──▶ worker JVMs (N)
 *   main ◀──get────── [results: SharedQueue]       ◀─put─── workers, then taskDone()
 *   main: jobs.join(); check every result arrived exactly once; jobs.shutdown() ends the workers
 * </pre>
 *
 * Usage: {@code WorkerPoolDemo [workers] [jobs]} (defaults: 3 workers, 200000 jobs). Objects live in the
 * default folder ({@link SharedObjects#defaultDirectory()}) and are removed at the end.
 */
public final class WorkerPoolDemo {
    private WorkerPoolDemo() {
    }

    /**
     * Runs the demo.
     *
     * @param args optional worker count and job count
     * @throws Exception if anything fails; the exit code is non-zero when a check fails
     */
    public static void main(String[] args) throws Exception {
        int workers = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int jobs = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        if (!run(workers, jobs, 100_000)) {
            System.exit(1);
        }
    }

    /**
     * Runs the demo.
     *
     * @param workers    worker processes
     * @param jobs       jobs to process
     * @param pingRounds measured ping-pong round trips
     * @return true if every check passed
     * @throws Exception if anything fails
     */
    public static boolean run(int workers, int jobs, int pingRounds) throws Exception {
        Path dir = SharedObjects.defaultDirectory();
        String run = "demo-" + ProcessHandle.current().pid();
        System.out.printf("mmipc demo: %d worker processes, %d jobs, objects in %s%n", workers, jobs, dir);
        Examples.removeAbandoned(System.out); // (the folder may not exist yet)
        try (SharedJoinableQueue<Long> jobQueue = SharedJoinableQueue.builder(run + "-jobs", Codecs.int64())
                     .capacity(1 << 20).create();
             SharedQueue<String> results = SharedQueue.builder(run + "-results", Codecs.string())
                     .capacity(4 << 20).create()) {
            List<SharedProcess<Void>> children = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                children.add(start(DemoWorker.class, run));
            }
            long t0 = System.nanoTime();
            BitSet seen = new BitSet(jobs);
            Map<String, Integer> perWorker = new TreeMap<>();
            long[] duplicates = {0};
            Thread collector = new Thread(() -> {
                try {
                    for (int i = 0; i < jobs; i++) {
                        String r = results.take();
                        String[] parts = r.split(":");
                        int job = Integer.parseInt(parts[1]);
                        long square = Long.parseLong(parts[2]);
                        if (seen.get(job) || square != (long) job * job) {
                            duplicates[0]++;
                        }
                        seen.set(job);
                        perWorker.merge("pid " + parts[0], 1, Integer::sum);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "collector");
            collector.start();
            for (long n = 0; n < jobs; n++) {
                jobQueue.put(n);
            }
            jobQueue.join();
            double seconds = (System.nanoTime() - t0) / 1e9;
            collector.join(TimeUnit.SECONDS.toMillis(60));
            System.out.printf("all %d jobs done (join returned) in %.2f s: %.0f jobs/s through two queues%n",
                    jobs, seconds, jobs / seconds);
            System.out.println("results per worker process: " + perWorker);
            boolean ok = seen.cardinality() == jobs && duplicates[0] == 0;
            System.out.println(ok ? "check: every job's result arrived exactly once"
                    : "CHECK FAILED: missing=" + (jobs - seen.cardinality()) + ", duplicates/wrong=" + duplicates[0]);
            jobQueue.shutdown();
            for (SharedProcess<Void> p : children) {
                if (!p.join(Duration.ofSeconds(30))) {
                    p.kill();
                    ok = false;
                    System.out.println("CHECK FAILED: worker " + p.pid() + " did not stop after shutdown");
                }
            }
            System.out.println("workers stopped after jobs.shutdown()");
            ok &= PingPong.run(run, pingRounds);
            jobQueue.unlink();
            results.unlink();
            return ok;
        }
    }

    /**
     * Starts a child JVM running {@code main}: the library's one launcher, which passes on this JVM's class
     * path and {@code mmipc.*} properties (so a moved objects folder, {@code -Dmmipc.dir=...}, reaches the
     * workers) and makes the child a daemon that cannot outlive the demo.
     */
    static SharedProcess<Void> start(Class<?> main, String... args) throws IOException {
        return SharedProcess.builder(main, args).name(main.getSimpleName()).jvmOptions("-Xmx128m").start();
    }

    /** Percentiles of a sorted array of nanosecond samples, in microseconds. */
    static String percentiles(long[] sortedNanos) {
        return String.format("median %.1f µs, p90 %.1f µs, p99 %.1f µs", Examples.at(sortedNanos, 0.5) / 1e3,
                Examples.at(sortedNanos, 0.9) / 1e3, Examples.at(sortedNanos, 0.99) / 1e3);
    }

    /** A process-to-process round trip through two queues. */
    static final class PingPong {
        private PingPong() {
        }

        static boolean run(String run, int rounds) throws Exception {
            try (SharedQueue<byte[]> ping = SharedQueue.builder(run + "-ping", Codecs.bytes()).create();
                 SharedQueue<byte[]> pong = SharedQueue.builder(run + "-pong", Codecs.bytes()).create()) {
                SharedProcess<Void> echo = start(EchoWorker.class, run);
                byte[] msg = new byte[64];
                long[] rtt = new long[rounds];
                for (int i = -Math.max(20_000, rounds / 2); i < rounds; i++) {
                    long t = System.nanoTime();
                    ping.put(msg);
                    byte[] back = pong.get(Duration.ofSeconds(30));
                    if (back.length != 64) {
                        throw new IllegalStateException("bad echo");
                    }
                    if (i >= 0) {
                        rtt[i] = System.nanoTime() - t;
                    }
                }
                ping.shutdown();
                boolean exited = echo.join(Duration.ofSeconds(30));
                Arrays.sort(rtt);
                System.out.printf("ping-pong, 64 B, %d round trips between two processes: %s%n", rounds,
                        percentiles(rtt));
                ping.unlink();
                pong.unlink();
                return exited;
            }
        }
    }
}
