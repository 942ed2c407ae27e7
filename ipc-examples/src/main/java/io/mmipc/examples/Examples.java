package io.mmipc.examples;

import io.mmipc.SharedObjects;
import io.mmipc.process.PoolBuilder;
import io.mmipc.process.SharedPool;
import io.mmipc.process.SharedProcess;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * What every example shares: how it starts child processes and pools, clears what a killed earlier run left,
 * reads its arguments and prints latencies. Kept small on purpose: each example should read on its own.
 */
public final class Examples {
    /**
     * JVM options for the examples' child processes: the pool workers' small, fast-starting defaults
     * ({@link PoolBuilder#DEFAULT_WORKER_OPTIONS}) plus a small heap, so a dozen (or seventy) JVMs fit on a small machine.
     */
    public static final List<String> CHILD_OPTIONS =
            Stream.concat(PoolBuilder.DEFAULT_WORKER_OPTIONS.stream(), Stream.of("-Xmx64m")).toList();

    private Examples() {
    }

    /**
     * Waits a bounded time for a child's result: an example must end by itself, whatever a child does.
     *
     * @param child the child process
     * @param limit the longest wait; past it the child is killed
     * @param <R>   the result type
     * @return the child's result
     * @throws ExecutionException   if the child's task failed (its exception is the cause) or it died
     * @throws TimeoutException     if it did not end within {@code limit} (it has been killed)
     * @throws InterruptedException if interrupted while waiting
     */
    public static <R> R result(SharedProcess<R> child, Duration limit)
            throws ExecutionException, TimeoutException, InterruptedException {
        if (!child.join(limit)) {
            child.kill();
            throw new TimeoutException(child.name() + " (pid " + child.pid() + ") still running after " + limit
                    + ": killed");
        }
        return child.result();
    }

    /**
     * A pool builder whose private queue folder lives in the objects folder ({@code -Dmmipc.dir} moves it
     * too; by default a pool's folder is made under {@code /dev/shm} whatever {@code mmipc.dir} says).
     *
     * @param workers worker processes
     * @return the builder, to be finished and started by the caller
     * @throws IOException if the objects folder cannot be made
     */
    public static PoolBuilder pool(int workers) throws IOException {
        Path dir = SharedObjects.defaultDirectory();
        Files.createDirectories(dir);
        return SharedPool.builder().workers(workers).directory(dir);
    }

    /**
     * Removes objects whose processes all died (a run killed with Ctrl-C leaves its objects behind), so an
     * example can be run again without manual clean-up. Objects of live processes are never touched.
     *
     * @param out where to say what was removed
     * @throws IOException if the objects folder cannot be read
     */
    public static void removeAbandoned(PrintStream out) throws IOException {
        Path dir = SharedObjects.defaultDirectory();
        if (Files.isDirectory(dir)) {
            List<String> removed = SharedObjects.removeAbandoned(dir);
            if (!removed.isEmpty()) {
                out.println("removed objects left by an earlier run: " + removed);
            }
        }
    }

    /**
     * @param args  the command-line arguments
     * @param index which one
     * @param def   the value when it is absent
     * @return argument {@code index} as an int
     * @throws IllegalArgumentException if it is not a positive number
     */
    public static int intArg(String[] args, int index, int def) {
        if (args.length <= index) {
            return def;
        }
        int v = Integer.parseInt(args[index]);
        if (v < 1) {
            throw new IllegalArgumentException("argument " + (index + 1) + " must be positive: value=" + v);
        }
        return v;
    }

    /**
     * @param sortedNanos nanosecond samples, sorted
     * @param unit        "µs" or "ms"
     * @return "p50 .., p90 .., p99 .., max .." in {@code unit}
     */
    public static String percentiles(long[] sortedNanos, String unit) {
        double div = "ms".equals(unit) ? 1e6 : 1e3;
        return String.format("p50 %.1f %s, p90 %.1f %s, p99 %.1f %s, max %.1f %s",
                at(sortedNanos, 0.5) / div, unit, at(sortedNanos, 0.9) / div, unit, at(sortedNanos, 0.99) / div, unit,
                sortedNanos[sortedNanos.length - 1] / div, unit);
    }

    /**
     * @param sorted sorted samples, at least one
     * @param q      the quantile, 0..1
     * @return the sample at quantile {@code q} (nearest rank)
     */
    public static long at(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.round(q * (sorted.length - 1)))];
    }

    /**
     * Deletes a folder and everything in it (the examples' temporary files).
     *
     * @param dir the folder; nothing happens if it does not exist
     * @throws IOException if something cannot be deleted
     */
    public static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
