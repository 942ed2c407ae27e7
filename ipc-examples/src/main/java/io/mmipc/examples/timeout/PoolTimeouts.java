package io.mmipc.examples.timeout;

import io.mmipc.examples.Examples;
import io.mmipc.process.SharedPool;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Pool tasks with a time limit ({@code PoolBuilder.taskTimeout}): a task that overruns it is cancelled (its
 * worker process is killed, since a JVM cannot stop a thread that ignores interrupts, and replaced) and
 * reported with a {@link TimeoutException}, while every other task finishes normally. Python's {@code Pool}
 * has no such limit: {@code get(timeout)} gives up waiting but the stuck task keeps its worker for ever.
 *
 * <p>Every {@code stuckEvery}-th task "hangs" (sleeps far past the limit); the others take 100 ms.
 *
 * <p>Run: {@code scripts/example timeouts [tasks] [stuckEvery] [limitMillis]} (defaults 12, 4, 2000).
 */
public final class PoolTimeouts {
    /** How long a normal task takes. */
    static final long NORMAL_MILLIS = 100;
    /** How long a stuck task would take if nobody stopped it. */
    static final long STUCK_MILLIS = 600_000;

    private PoolTimeouts() {
    }

    /**
     * Runs the tasks on a pool of two workers.
     *
     * @param out  where to print what happens
     * @param args optional task count, stuck-task period and time limit in milliseconds
     * @return true if exactly the stuck tasks timed out and every other one finished
     * @throws Exception if the pool fails
     */
    public static boolean run(PrintStream out, String... args) throws Exception {
        int tasks = Examples.intArg(args, 0, 12);
        int stuckEvery = Examples.intArg(args, 1, 4);
        Duration limit = Duration.ofMillis(Examples.intArg(args, 2, 2000));
        Examples.removeAbandoned(out);
        out.printf("timeouts: %d tasks on 2 worker processes, time limit %d ms, every %d%s task stuck%n", tasks,
                limit.toMillis(), stuckEvery, stuckEvery == 1 ? "" : "th");
        long t0 = System.nanoTime();
        TreeSet<Integer> expectedStuck = new TreeSet<>();
        TreeSet<Integer> timedOut = new TreeSet<>();
        int finished = 0;
        int failedOtherwise = 0;
        try (SharedPool pool = Examples.pool(2).taskTimeout(limit).start()) {
            List<CompletableFuture<String>> results = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                boolean stuck = i % stuckEvery == stuckEvery - 1;
                if (stuck) {
                    expectedStuck.add(i);
                }
                long millis = stuck ? STUCK_MILLIS : NORMAL_MILLIS;
                int id = i;
                results.add(pool.applyAsync(ms -> work(id, ms), millis));
            }
            for (int i = 0; i < tasks; i++) {
                try {
                    // bounded: a stuck task ends at its limit, so every result is there well within a minute
                    out.println("  " + results.get(i).get(limit.toMillis() * tasks + 60_000,
                            java.util.concurrent.TimeUnit.MILLISECONDS));
                    finished++;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof TimeoutException) {
                        timedOut.add(i);
                        out.printf("  task %d: cancelled: %s%n", i, e.getCause().getMessage());
                    } else {
                        failedOtherwise++;
                        out.printf("  task %d: failed: %s%n", i, e.getCause());
                    }
                }
            }
        }
        boolean ok = timedOut.equals(expectedStuck) && finished == tasks - expectedStuck.size() && failedOtherwise == 0;
        out.printf("summary: %d finished, %d timed out %s (expected %s), %d failed otherwise, in %.1f s: %s%n",
                finished, timedOut.size(), timedOut, expectedStuck, failedOtherwise, (System.nanoTime() - t0) / 1e9,
                ok ? "ok" : "CHECK FAILED");
        return ok;
    }

    /** A task in a worker process: sleeps (a stand-in for work, or for a hang) and says who ran it. */
    static String work(int id, long millis) throws InterruptedException {
        long t = System.nanoTime();
        Thread.sleep(millis);
        return String.format("task %d: done in %d ms by worker pid %d", id, (System.nanoTime() - t) / 1_000_000,
                ProcessHandle.current().pid());
    }
}
