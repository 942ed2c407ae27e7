package io.mmipc.process;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A child JVM running a task given by this process: Python's {@code multiprocessing.Process}. Made by a
 * {@link Launcher} ({@link #builder(RemoteTask)}, {@link #builder(RemoteRunnable)} or
 * {@link #builder(Class, String...)} for a main class):
 *
 * <pre>{@code
 * try (SharedQueue<String> q = SharedQueue.create("jobs", Codecs.string());
 *      SharedProcess<Integer> p = SharedProcess.builder(() -> q.get().length()).name("measure").start()) {
 *     q.put("hello");
 *     int n = p.result();            // 5, computed in the child; q arrived there as a live handle
 * }
 * }</pre>
 *
 * <p><b>Exit codes.</b> {@link #exitCode()} is empty while the child runs; 0 after a task returned; 1 after it
 * threw (the exception is {@link #result()}'s cause); the status given to {@code System.exit}; and, like
 * Python, <em>minus the signal number</em> when the child was killed by a signal ({@code -9} after
 * {@link #kill()} or the OOM killer, {@code -15} after {@link #terminate()}). The JDK reports a death by
 * signal N as status 128+N, so a child that calls {@code System.exit(129..192)} itself also reads as a signal.
 *
 * <p><b>Daemon children</b> (the default, unlike Python) never outlive this JVM, even when it is killed with
 * SIGKILL: the child watches a pipe only the parent holds and halts at its end-of-file (status 70, which nobody
 * sees). A non-daemon child keeps running when the parent exits.
 *
 * @param <R> the task's result type ({@code Void} for a runnable or a main class)
 */
public final class SharedProcess<R> implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path runDir;
    private final boolean taskMode;
    private final AllowList resultAllow;
    private final List<Thread> pumps;
    /**
     * Held so the child's stdin pipe stays open as long as this JVM lives (its end-of-file is our death). A
     * caller may drop this handle: the JDK keeps a running process's streams reachable until it exits.
     */
    @SuppressWarnings("unused")
    private final OutputStream parentEnd;
    private TaskFile.Outcome outcome;
    private boolean collected;
    private IOException collectError;

    SharedProcess(String name, Process process, Path runDir, boolean taskMode, AllowList resultAllow,
            List<Thread> pumps) {
        this.name = name;
        this.process = process;
        this.runDir = runDir;
        this.taskMode = taskMode;
        this.resultAllow = resultAllow;
        this.pumps = pumps;
        this.parentEnd = process.getOutputStream();
        // read the outcome and remove the run folder as soon as the child exits, even if nobody joins it
        process.onExit().thenRun(this::collectQuietly);
    }

    /**
     * {@return a launcher for a child running {@code task}}
     *
     * @param task the task; runs in the child, its result comes back through {@link #result()}
     * @param <R>  the result type
     */
    public static <R> Launcher<R> builder(RemoteTask<R> task) {
        return new Launcher<>(task, null, List.of());
    }

    /**
     * {@return a launcher for a child running {@code task}}
     *
     * @param task the task; runs in the child
     */
    public static Launcher<Void> builder(RemoteRunnable task) {
        return new Launcher<>(task, null, List.of());
    }

    /**
     * {@return a launcher for a child running {@code mainClass}}
     *
     * @param mainClass a class with a {@code public static void main(String[])}
     * @param args      its arguments
     */
    public static Launcher<Void> builder(Class<?> mainClass, String... args) {
        return new Launcher<>(null, mainClass.getName(), List.of(args));
    }

    /** {@return the name given to the launcher (default {@code SharedProcess-N})} */
    public String name() {
        return name;
    }

    /** {@return the child's PID} */
    public long pid() {
        return process.pid();
    }

    /** {@return the child's process handle} */
    public ProcessHandle toHandle() {
        return process.toHandle();
    }

    /** {@return whether the child is still running} */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits until the child has exited and its output has been delivered.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void join() throws InterruptedException {
        process.waitFor();
        for (Thread t : pumps) {
            t.join();
        }
        collectQuietly();
    }

    /**
     * Waits at most {@code timeout} for the child to exit.
     *
     * @param timeout how long to wait
     * @return true if it has exited (and its output has been delivered), false if still running
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean join(Duration timeout) throws InterruptedException {
        if (!process.waitFor(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS)) {
            return false;
        }
        for (Thread t : pumps) {
            t.join(1000); // a grandchild that inherited the pipe could hold it open: do not wait forever
        }
        collectQuietly();
        return true;
    }

    /**
     * {@return the exit code once the child has exited (negative: killed by that signal; see the class comment), empty
     * while it runs}
     */
    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(exitCodeOf(process.exitValue()));
    }

    /** @return the exit code of a JDK exit value: 128+N (N a signal number) becomes -N */
    static int exitCodeOf(int exitValue) {
        return exitValue > 128 && exitValue <= 128 + 64 ? -(exitValue - 128) : exitValue;
    }

    /** Asks the child to stop: SIGTERM (its shutdown hooks run). Does not wait. */
    public void terminate() {
        process.destroy();
    }

    /** Kills the child: SIGKILL. Does not wait. */
    public void kill() {
        process.destroyForcibly();
    }

    /**
     * Waits for the child and returns its task's result, Future-style.
     *
     * @return the value the task returned (null for a runnable)
     * @throws ExecutionException    with a {@link RemoteTaskException} cause (the child's exception and stack
     *                               trace) if the task threw, a {@link ProcessDiedException} if the child died
     *                               without a result, or the {@code IOException} if the result could not be read
     * @throws InterruptedException  if interrupted while waiting
     * @throws IllegalStateException if the child runs a main class (it has no result)
     */
    @SuppressWarnings("unchecked")
    public R result() throws InterruptedException, ExecutionException {
        if (!taskMode) {
            throw new IllegalStateException("a main class has no result: process=" + name);
        }
        join();
        TaskFile.Outcome o;
        try {
            o = collect();
            if (o == null) {
                throw new ExecutionException(new ProcessDiedException("process '" + name + "'", pid(),
                        exitCode().orElse(0), "no result"));
            }
            if (o.status() == TaskFile.STATUS_EXCEPTION) {
                throw new ExecutionException(Throwables.decode(o.data(), pid()));
            }
            return (R) TaskSerializer.read(o.data(), resultAllow, new ArrayList<>());
        } catch (IOException e) {
            throw new ExecutionException("cannot read the result of process '" + name + "': " + e.getMessage(), e);
        }
    }

    /** Reads the outcome (if any) into memory once the child has exited, and removes the run folder. */
    private synchronized TaskFile.Outcome collect() throws IOException {
        if (!collected) {
            collected = true;
            try {
                outcome = taskMode ? TaskFile.readOutcome(runDir) : null;
            } catch (IOException e) {
                collectError = e;
            } finally {
                deleteTree(runDir);
            }
        }
        if (collectError != null) {
            throw collectError;
        }
        return outcome;
    }

    private void collectQuietly() {
        try {
            collect();
        } catch (IOException e) {
            // result() reports it: the outcome could not be read
        }
    }

    /** Kills the child if it still runs, waits for it, and removes its run folder. Idempotent. */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
        try {
            process.waitFor(30, TimeUnit.SECONDS);
            collect();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "SharedProcess[name=" + name + ", pid=" + pid() + ", exitCode="
                + (isAlive() ? "running" : String.valueOf(exitCode().getAsInt())) + "]";
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
