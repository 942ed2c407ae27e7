package io.mmipc.process;

import io.mmipc.internal.file.HeaderLayout;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Settings of a {@link SharedPool}; from {@link SharedPool#builder()}.
 *
 * <p>Workers start with {@link #DEFAULT_WORKER_OPTIONS} (a small footprint and a fast start for short tasks,
 * measured in {@code ipc-bench}'s {@code PoolBench}); options given to {@link #jvmOptions} come after them and
 * win, and {@link #defaultWorkerOptions(boolean) defaultWorkerOptions(false)} drops them.
 */
public final class PoolBuilder {
    /**
     * The most workers a pool can have: every worker and the parent open the pool's result queue, and an
     * object can be open in at most {@value HeaderLayout#REGISTRY_ENTRIES} processes (its file's registry).
     */
    public static final int MAX_WORKERS = HeaderLayout.REGISTRY_ENTRIES - 1;
    /**
     * The workers' default JVM options: serial GC, C1 only, class-data sharing on, a small initial heap, no
     * {@code hsperfdata} file, and
     * exit on {@code OutOfMemoryError} (a JVM that ran out of memory is not trusted with more tasks: the batch
     * fails with a {@link ProcessDiedException}, exit code 3, and the worker is replaced).
     */
    public static final List<String> DEFAULT_WORKER_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Xshare:auto", "-Xms8m", "-XX:ReservedCodeCacheSize=32m", "-XX:-UsePerfData", "-XX:+ExitOnOutOfMemoryError");
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private int workers = Runtime.getRuntime().availableProcessors();
    private RemoteRunnable initializer;
    private int maxTasksPerChild;
    private Duration taskTimeout;
    private final List<Class<?>> allowed = new ArrayList<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private boolean defaults = true;
    private boolean classDataSharing = true;
    private String name;
    private Path directory;

    PoolBuilder() {
    }

    /**
     * {@return this builder}
     *
     * @param count worker processes, 1 to {@link #MAX_WORKERS} (default: available processors)
     * @throws IllegalArgumentException if out of range
     */
    public PoolBuilder workers(int count) {
        if (count < 1 || count > MAX_WORKERS) {
            throw new IllegalArgumentException("workers out of range [1, " + MAX_WORKERS + "]: workers=" + count
                    + " (every worker and the parent open the pool's result queue, and an object can be open in at "
                    + "most " + HeaderLayout.REGISTRY_ENTRIES + " processes)");
        }
        this.workers = count;
        return this;
    }

    /**
     * {@return this builder}
     *
     * @param init run once in each worker before its first task (Python's {@code initializer})
     */
    public PoolBuilder initializer(RemoteRunnable init) {
        this.initializer = init;
        return this;
    }

    /**
     * {@return this builder}
     *
     * @param tasks messages (tasks, or chunks of a map) a worker runs before it is replaced (0: no limit)
     */
    public PoolBuilder maxTasksPerChild(int tasks) {
        if (tasks < 0) {
            throw new IllegalArgumentException("maxTasksPerChild must not be negative: maxTasksPerChild=" + tasks);
        }
        this.maxTasksPerChild = tasks;
        return this;
    }

    /**
     * {@return this builder}
     *
     * @param timeout longest a task (or chunk) may run; one over it fails with a
     *                {@link java.util.concurrent.TimeoutException} and its worker is killed and replaced
     */
    public PoolBuilder taskTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("taskTimeout must be positive: taskTimeout=" + timeout);
        }
        this.taskTimeout = timeout;
        return this;
    }

    /**
     * {@return this builder}
     *
     * @param classes classes results may contain (beyond strings, boxed primitives, common collections and the
     *                classes the functions and items are made of)
     */
    public PoolBuilder allow(Class<?>... classes) {
        allowed.addAll(Arrays.asList(classes));
        return this;
    }

    /**
     * {@return this builder}
     *
     * @param options JVM options for the workers, after the defaults (so they win), e.g. {@code -Xmx1g}
     */
    public PoolBuilder jvmOptions(String... options) {
        jvmOptions.addAll(Arrays.asList(options));
        return this;
    }

    /**
     * {@return this builder}
     *
     * @param use false to start workers without {@link #DEFAULT_WORKER_OPTIONS}
     */
    public PoolBuilder defaultWorkerOptions(boolean use) {
        this.defaults = use;
        return this;
    }

    /**
     * {@return this builder}
     *
     * @param enabled false to start workers without a class-data-sharing archive (default: on, see
     *                {@link Launcher#classDataSharing(boolean)}; the first worker of a pool records it as it
     *                exits, so that pool's {@code close()} takes a few hundred milliseconds longer once)
     */
    public PoolBuilder classDataSharing(boolean enabled) {
        this.classDataSharing = enabled;
        return this;
    }

    /**
     * {@return this builder}
     *
     * @param poolName names the workers' processes and the pool's thread
     */
    public PoolBuilder name(String poolName) {
        this.name = Objects.requireNonNull(poolName, "poolName");
        return this;
    }

    /**
     * {@return this builder}
     *
     * @param parent the folder under which the pool makes its private folder of queues (default {@code /dev/shm})
     */
    public PoolBuilder directory(Path parent) {
        this.directory = parent;
        return this;
    }

    /**
     * Starts the workers (it does not wait for their JVMs: the first tasks are queued for them meanwhile).
     *
     * @return the pool
     * @throws IOException if the queues or the workers cannot be made
     */
    public SharedPool start() throws IOException {
        List<String> options = new ArrayList<>(defaults ? DEFAULT_WORKER_OPTIONS : List.of());
        options.addAll(jvmOptions);
        PoolSettings s = new PoolSettings(workers, initializer, maxTasksPerChild, taskTimeout, List.copyOf(allowed),
                List.copyOf(options), name != null ? name : "pool-" + COUNTER.incrementAndGet(), classDataSharing);
        return new SharedPool(s, SharedPool.newDirectory(directory));
    }
}
