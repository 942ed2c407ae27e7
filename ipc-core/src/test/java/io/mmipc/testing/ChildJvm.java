package io.mmipc.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running a class's {@code main}, with the same java binary and classpath as the test, for
 * cross-process tests. Its stdout lines are collected; stderr is inherited into the test log (or captured,
 * see {@link Launcher#captureStderr()}). If this JVM was started with {@code --enable-native-access}, the
 * child gets it too (unless {@link Launcher#withoutNativeAccess()}), so a test run in futex mode spawns
 * futex-capable children. Always close it (try-with-resources): close kills it if still running.
 */
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> all = Collections.synchronizedList(new ArrayList<>());
    private final Thread reader;
    private final StringBuffer stderr;
    private final Thread stderrReader;

    private ChildJvm(Process process, boolean captureStderr) {
        this.process = process;
        this.stderr = captureStderr ? new StringBuffer() : null;
        this.stderrReader = captureStderr ? startStderrReader(process, stderr) : null;
        this.reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                    all.add(line);
                }
            } catch (IOException ignored) {
                // process gone
            }
        }, "child-stdout-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    private static Thread startStderrReader(Process process, StringBuffer into) {
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    into.append(line).append('\n');
                }
            } catch (IOException ignored) {
                // process gone
            }
        }, "child-stderr-" + process.pid());
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Starts {@code mainClass} with {@code args} in a new JVM. */
    public static ChildJvm start(Class<?> mainClass, String... args) throws IOException {
        return launcher(mainClass).args(args).start();
    }

    /** Starts {@code mainClass} with extra JVM options. */
    public static ChildJvm start(List<String> jvmOptions, Class<?> mainClass, String... args) throws IOException {
        return launcher(mainClass).jvmOptions(jvmOptions).args(args).start();
    }

    /** @return a launcher for {@code mainClass}, for the less common options */
    public static Launcher launcher(Class<?> mainClass) {
        return new Launcher(mainClass);
    }

    /** The {@code --enable-native-access} options this JVM was started with (empty if none). */
    public static List<String> inheritedNativeAccess() {
        List<String> out = new ArrayList<>();
        List<String> input = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (int i = 0; i < input.size(); i++) {
            String arg = input.get(i);
            if (arg.startsWith("--enable-native-access=")) {
                out.add(arg);
            } else if (arg.equals("--enable-native-access") && i + 1 < input.size()) {
                out.add(arg + "=" + input.get(++i));
            }
        }
        return out;
    }

    /** Options for one child JVM. */
    public static final class Launcher {
        private final Class<?> mainClass;
        private final List<String> jvmOptions = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private boolean nativeAccess = true;
        private boolean captureStderr;
        private final List<String> wrapper = new ArrayList<>();
        private int fdLimit;

        private Launcher(Class<?> mainClass) {
            this.mainClass = mainClass;
        }

        /** Adds JVM options (before the class name). */
        public Launcher jvmOptions(List<String> options) {
            jvmOptions.addAll(options);
            return this;
        }

        /** Adds program arguments. */
        public Launcher args(String... values) {
            Collections.addAll(args, values);
            return this;
        }

        /** Does not pass this JVM's {@code --enable-native-access} on to the child. */
        public Launcher withoutNativeAccess() {
            nativeAccess = false;
            return this;
        }

        /** Collects the child's stderr (see {@link ChildJvm#stderr()}) instead of inheriting it. */
        public Launcher captureStderr() {
            captureStderr = true;
            return this;
        }

        /**
         * Runs the JVM through a wrapper command, e.g. {@code unshare --pid --fork --kill-child} (then
         * {@link ChildJvm#pid()} is the wrapper's PID).
         */
        public Launcher wrapper(String... command) {
            Collections.addAll(wrapper, command);
            return this;
        }

        /** Starts the child with at most {@code n} open file descriptors ({@code ulimit -n} through {@code sh}). */
        public Launcher fdLimit(int n) {
            fdLimit = n;
            return this;
        }

        /** Starts the child. */
        public ChildJvm start() throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add(ProcessHandle.current().info().command().orElse("java"));
            cmd.add("-Xmx256m");
            cmd.add("-XX:TieredStopAtLevel=1");
            cmd.add("-Xshare:auto");
            if (!wrapper.isEmpty()) {
                // JVMs in fresh PID namespaces are all PID 1 and would share /tmp/hsperfdata_<user>/1: one that
                // finds it locked prints a warning on stdout, where tests read their protocol.
                cmd.add("-XX:-UsePerfData");
            }
            String dir = System.getProperty("mmipc.dir");
            if (dir != null) {
                cmd.add("-Dmmipc.dir=" + dir);
            }
            String wait = System.getProperty("mmipc.wait");
            if (wait != null) {
                cmd.add("-Dmmipc.wait=" + wait);
            }
            if (nativeAccess) {
                cmd.addAll(inheritedNativeAccess());
            }
            cmd.addAll(jvmOptions);
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(mainClass.getName());
            cmd.addAll(args);
            if (fdLimit > 0) {
                cmd.addAll(0, List.of("sh", "-c", "ulimit -n " + fdLimit + " && exec \"$@\"", "sh"));
            }
            cmd.addAll(0, wrapper);
            ProcessBuilder pb = new ProcessBuilder(cmd);
            if (!captureStderr) {
                pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            }
            return new ChildJvm(pb.start(), captureStderr);
        }
    }

    /** Waits for the next stdout line; fails the test if none comes in time. */
    public String readLine(Duration timeout) throws InterruptedException {
        String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
            throw new AssertionError("child " + process.pid() + " printed nothing within " + timeout
                    + " (alive=" + process.isAlive() + ", output so far=" + all + ")");
        }
        return line;
    }

    /** Waits until the child prints exactly {@code expected} (skipping other lines). */
    public void expect(String expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("child " + process.pid() + " did not print '" + expected + "' within "
                        + timeout + "; output=" + all);
            }
            String line = lines.poll(left, TimeUnit.NANOSECONDS);
            if (expected.equals(line)) {
                return;
            }
        }
    }

    /** Waits for the child to exit; returns its exit code. Fails if it does not exit in time. */
    public int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child " + process.pid() + " did not exit within " + timeout + "; output=" + all);
        }
        reader.join(5000);
        if (stderrReader != null) {
            stderrReader.join(5000);
        }
        return process.exitValue();
    }

    /**
     * @return what the child wrote to stderr so far (complete once {@link #waitFor} returned)
     * @throws IllegalStateException if it was not launched with {@link Launcher#captureStderr()}
     */
    public String stderr() {
        if (stderr == null) {
            throw new IllegalStateException("stderr not captured: use ChildJvm.launcher(...).captureStderr()");
        }
        return stderr.toString();
    }

    /** Kills the child with SIGKILL and waits until it is gone (reaped). */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** @return every stdout line so far */
    public List<String> output() {
        synchronized (all) {
            return new ArrayList<>(all);
        }
    }

    /** @return the child's PID */
    public long pid() {
        return process.pid();
    }

    /** @return whether it is still running */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the child if still running (not throwing InterruptedException keeps try-with-resources lint-clean). */
    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
