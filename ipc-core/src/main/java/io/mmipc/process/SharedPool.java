package io.mmipc.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * A pool of worker JVMs fed through mmipc queues: Python's {@code multiprocessing.Pool}.
 *
 * <pre>{@code
 * try (SharedPool pool = SharedPool.create(2)) {
 *     List<Integer> squares = pool.map(x -> x * x, List.of(1, 2, 3));          // [1, 4, 9]
 *     PoolResults<Integer> it = pool.imap(x -> slow(x), inputs);            // results while the rest run
 *     CompletableFuture<Long> f = pool.applyAsync(n -> fib(n), 30L);        // get(), isDone(), ...
 * }
 * }</pre>
 *
 * <p>Functions are {@link RemoteFunction}s (serializable lambdas); their captured values, the items and the
 * results cross under the allow-list rules of this package: the classes a function and its items are made of
 * are allowed automatically, other result classes through {@link PoolBuilder#allow}. Shared objects captured by
 * a function arrive in the workers as live handles.
 *
 * <p>Unlike Python's, this pool never hangs when a worker dies: a worker that is killed, calls
 * {@code System.exit} or runs out of memory fails exactly the batch it was working on (a
 * {@link ProcessDiedException} naming its PID and exit status), its other queued batches go to other workers,
 * and it is replaced. A batch over the {@linkplain PoolBuilder#taskTimeout task timeout} fails with a
 * {@link java.util.concurrent.TimeoutException}; its worker is killed and replaced. A result that cannot be
 * serialized fails that batch only. Outcomes are handed over (and callbacks run) on the pool's result thread:
 * keep callbacks short.
 *
 * <table>
 * <caption>Python to Java</caption>
 * <tr><th>Python</th><th>mmipc</th></tr>
 * <tr><td>{@code Pool(n, initializer, initargs, maxtasksperchild)}</td><td>{@code SharedPool.builder().workers(n)
 *     .initializer(() -> ...).maxTasksPerChild(k).start()}</td></tr>
 * <tr><td>{@code map(f, xs, chunksize)}, {@code starmap}</td><td>{@link #map}, {@link #starmap}</td></tr>
 * <tr><td>{@code imap}, {@code imap_unordered}</td><td>{@link #imap}, {@link #imapUnordered} ({@link PoolResults})</td></tr>
 * <tr><td>{@code apply}, {@code apply_async(f, args, callback, error_callback)}</td><td>{@link #apply},
 *     {@link #applyAsync(RemoteFunction, Object, Consumer, Consumer)}: a {@link CompletableFuture}
 *     ({@code get}, {@code isDone} = {@code ready}, {@code !isCompletedExceptionally} = {@code successful})</td></tr>
 * <tr><td>{@code close()}, {@code join()}</td><td>{@link #shutdown()}, {@link #join()}; {@link #close()} does both</td></tr>
 * <tr><td>{@code terminate()}, {@code with Pool() as p}</td><td>{@link #terminate()}; try-with-resources calls
 *     {@link #close()} (finishes the submitted tasks, where Python's {@code with} terminates)</td></tr>
 * </table>
 */
public final class SharedPool implements AutoCloseable {
    private final PoolSettings settings;
    private final PoolCore core;
    private final Map<Object, PoolFunction> functions = Collections.synchronizedMap(new WeakHashMap<>());

    SharedPool(PoolSettings settings, Path dir) throws IOException {
        this.settings = settings;
        this.core = new PoolCore(settings, dir);
    }

    /** {@return a builder (defaults: one worker per available processor)} */
    public static PoolBuilder builder() {
        return new PoolBuilder();
    }

    /**
     * {@return a started pool with default settings}
     *
     * @param workers worker processes
     * @throws IOException if the workers cannot be started
     */
    public static SharedPool create(int workers) throws IOException {
        return builder().workers(workers).start();
    }

    /**
     * Applies {@code fn} to every item in the workers; Python's {@code map} with its default chunk size
     * (the items split in about four chunks per worker).
     *
     * @param fn    the function
     * @param items the arguments
     * @param <T>   the argument type
     * @param <R>   the result type
     * @return the results, in item order
     * @throws ExecutionException   with the first failed item's cause
     * @throws InterruptedException if interrupted while waiting
     */
    public <T, R> List<R> map(RemoteFunction<? super T, ? extends R> fn, Iterable<? extends T> items)
            throws ExecutionException, InterruptedException {
        List<? extends T> list = toList(items);
        int perWorker = settings.workers() * 4;
        return map(fn, list, Math.max(1, (list.size() + perWorker - 1) / perWorker));
    }

    /**
     * Applies {@code fn} to every item in the workers, {@code chunkSize} items per message.
     *
     * @param fn        the function
     * @param items     the arguments
     * @param chunkSize items per message (1: one message per item)
     * @param <T>       the argument type
     * @param <R>       the result type
     * @return the results, in item order
     * @throws ExecutionException   with the first failed item's cause
     * @throws InterruptedException if interrupted while waiting
     */
    public <T, R> List<R> map(RemoteFunction<? super T, ? extends R> fn, Iterable<? extends T> items, int chunkSize)
            throws ExecutionException, InterruptedException {
        PoolResults<R> it = imap(fn, items, chunkSize);
        List<R> out = new ArrayList<>(it.total());
        while (it.hasNext()) {
            try {
                it.drainTo(out);
            } catch (CompletionException e) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while waiting for results");
                }
                throw new ExecutionException(e.getCause());
            }
        }
        return out;
    }

    /**
     * Python's {@code starmap}: applies a two-argument function to each pair.
     *
     * @param fn    the function
     * @param pairs the argument pairs (key first, value second)
     * @param <A>   the first argument's type
     * @param <B>   the second argument's type
     * @param <R>   the result type
     * @return the results, in order
     * @throws ExecutionException   with the first failed item's cause
     * @throws InterruptedException if interrupted while waiting
     */
    @SuppressWarnings("unchecked")
    public <A, B, R> List<R> starmap(RemoteBiFunction<? super A, ? super B, ? extends R> fn,
            Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs)
            throws ExecutionException, InterruptedException {
        List<Object[]> args = new ArrayList<>();
        for (Map.Entry<? extends A, ? extends B> e : pairs) {
            args.add(new Object[] {e.getKey(), e.getValue()});
        }
        RemoteFunction<Object[], R> spread = a -> fn.apply((A) a[0], (B) a[1]);
        return map(spread, args);
    }

    /**
     * Lazy {@code map}: results in item order, each usable as soon as it and those before it are done.
     *
     * @param fn    the function
     * @param items the arguments
     * @param <T>   the argument type
     * @param <R>   the result type
     * @return the results and progress
     */
    public <T, R> PoolResults<R> imap(RemoteFunction<? super T, ? extends R> fn, Iterable<? extends T> items) {
        return imap(fn, items, 1);
    }

    /**
     * Lazy {@code map} with a chunk size.
     *
     * @param fn        the function
     * @param items     the arguments
     * @param chunkSize items per message
     * @param <T>       the argument type
     * @param <R>       the result type
     * @return the results and progress
     */
    public <T, R> PoolResults<R> imap(RemoteFunction<? super T, ? extends R> fn, Iterable<? extends T> items,
            int chunkSize) {
        return run(fn, items, chunkSize, true);
    }

    /**
     * Like {@link #imap} but results come in the order they complete.
     *
     * @param fn    the function
     * @param items the arguments
     * @param <T>   the argument type
     * @param <R>   the result type
     * @return the results and progress
     */
    public <T, R> PoolResults<R> imapUnordered(RemoteFunction<? super T, ? extends R> fn,
            Iterable<? extends T> items) {
        return run(fn, items, 1, false);
    }

    private <T, R> PoolResults<R> run(RemoteFunction<? super T, ? extends R> fn, Iterable<? extends T> items,
            int chunkSize, boolean ordered) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be positive: chunkSize=" + chunkSize);
        }
        List<? extends T> list = toList(items);
        PoolResults<R> results = new PoolResults<>(list.size(), ordered);
        PoolFunction f = function(fn);
        List<Batch> batches = new ArrayList<>();
        for (int from = 0; from < list.size(); from += chunkSize) {
            int n = Math.min(chunkSize, list.size() - from);
            batches.add(new Batch(core.newId(), f, serialize(list.subList(from, from + n).toArray()), n,
                    results.sink(from, n)));
        }
        core.submit(batches);
        return results;
    }

    /**
     * Python's {@code apply}: runs {@code fn(arg)} in a worker and waits.
     *
     * @param fn  the function
     * @param arg its argument
     * @param <T> the argument type
     * @param <R> the result type
     * @return the result
     * @throws ExecutionException   if it failed (the cause says why)
     * @throws InterruptedException if interrupted while waiting
     */
    public <T, R> R apply(RemoteFunction<? super T, ? extends R> fn, T arg)
            throws ExecutionException, InterruptedException {
        return this.<T, R>applyAsync(fn, arg).get();
    }

    /**
     * Runs {@code fn(arg)} in a worker.
     *
     * @param fn  the function
     * @param arg its argument
     * @param <T> the argument type
     * @param <R> the result type
     * @return its future result
     */
    public <T, R> CompletableFuture<R> applyAsync(RemoteFunction<? super T, ? extends R> fn, T arg) {
        return applyAsync(fn, arg, null, null);
    }

    /**
     * Python's {@code apply_async}: runs {@code fn(arg)} in a worker and calls back (on the pool's result
     * thread).
     *
     * @param fn            the function
     * @param arg           its argument
     * @param callback      receives the result, or null
     * @param errorCallback receives the error, or null
     * @param <T>           the argument type
     * @param <R>           the result type
     * @return its future result
     */
    @SuppressWarnings("unchecked")
    public <T, R> CompletableFuture<R> applyAsync(RemoteFunction<? super T, ? extends R> fn, T arg,
            Consumer<? super R> callback, Consumer<? super Throwable> errorCallback) {
        CompletableFuture<R> future = new CompletableFuture<>();
        Batch.Sink sink = new Batch.Sink() {
            @Override
            public void values(Object[] values) {
                if (callback != null) {
                    callback.accept((R) values[0]);
                }
                future.complete((R) values[0]);
            }

            @Override
            public void failed(Throwable error) {
                if (errorCallback != null) {
                    errorCallback.accept(error);
                }
                future.completeExceptionally(error);
            }
        };
        core.submit(List.of(new Batch(core.newId(), function(fn), serialize(new Object[] {arg}), 1, sink)));
        return future;
    }

    /**
     * Runs a task in a worker.
     *
     * @param task the task
     * @param <R>  the result type
     * @return its future result
     */
    public <R> CompletableFuture<R> submit(RemoteTask<? extends R> task) {
        Objects.requireNonNull(task, "task");
        RemoteFunction<Object, R> call = ignored -> task.call();
        return applyAsync(call, null);
    }

    /**
     * Runs a task in a worker and waits.
     *
     * @param task the task
     * @param <R>  the result type
     * @return the result
     * @throws ExecutionException   if it failed
     * @throws InterruptedException if interrupted while waiting
     */
    public <R> R apply(RemoteTask<? extends R> task) throws ExecutionException, InterruptedException {
        return this.<R>submit(task).get();
    }

    /**
     * {@return an {@code ExecutorService} running {@link java.io.Serializable} {@code Callable}s and {@code Runnable}s
     * in the workers (anything else is rejected); shutting it down shuts the pool down}
     */
    public ExecutorService asExecutorService() {
        return new PoolExecutor(this);
    }

    /** {@return items whose outcome is known, over every call so far (see {@link PoolResults} for one call's)} */
    public long completed() {
        return core.completed();
    }

    /** {@return the PIDs of the current workers} */
    public List<Long> workerPids() {
        return core.workerPids();
    }

    /** Python's {@code close()}: refuses new tasks; the workers stop once the submitted ones are done. */
    public void shutdown() {
        core.shutdown();
    }

    /** {@return whether {@link #shutdown()}, {@link #close()} or {@link #terminate()} was called} */
    public boolean isShutdown() {
        return core.isShutdown();
    }

    /** Kills the workers now; unfinished tasks fail with a {@link java.util.concurrent.CancellationException}. */
    public void terminate() {
        core.terminate();
    }

    /**
     * Waits for the workers to stop, after {@link #shutdown()} or {@link #terminate()}.
     *
     * @throws IllegalStateException if neither was called (the wait would never end)
     * @throws InterruptedException  if interrupted
     */
    public void join() throws InterruptedException {
        join(Duration.ZERO);
    }

    /**
     * Waits at most {@code timeout} for the workers to stop, after {@link #shutdown()} or {@link #terminate()}.
     *
     * @param timeout how long (zero: no limit)
     * @return whether they stopped
     * @throws IllegalStateException if the pool was not shut down
     * @throws InterruptedException  if interrupted
     */
    public boolean join(Duration timeout) throws InterruptedException {
        if (!core.isShutdown()) {
            throw new IllegalStateException("join() before shutdown() or terminate() would wait forever: pool="
                    + settings.name());
        }
        return core.awaitStopped(timeout.isZero() ? 0 : Math.max(1, timeout.toMillis()));
    }

    /** Refuses new tasks, lets the submitted ones finish, stops the workers and waits for them. Idempotent. */
    @Override
    public void close() {
        shutdown();
        try {
            join();
        } catch (InterruptedException e) {
            terminate();
            Thread.currentThread().interrupt();
        }
    }

    private PoolFunction function(Object fn) {
        Objects.requireNonNull(fn, "fn");
        return functions.computeIfAbsent(fn, f -> {
            TaskSerializer.Written w = serialize(f);
            return new PoolFunction(core.newId(), w.bytes(), w.classes());
        });
    }

    private static TaskSerializer.Written serialize(Object o) {
        try {
            return TaskSerializer.write(o);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot be sent to a worker: " + e, e);
        }
    }

    private static <T> List<T> toList(Iterable<T> items) {
        Objects.requireNonNull(items, "items");
        if (items instanceof List) {
            return (List<T>) items;
        }
        List<T> out = new ArrayList<>();
        items.forEach(out::add);
        return out;
    }

    @Override
    public String toString() {
        return "SharedPool[name=" + settings.name() + ", workers=" + settings.workers() + ", pids=" + workerPids() + "]";
    }

    static Path newDirectory(Path parent) {
        try {
            Path base = parent != null ? parent : Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm")
                    : Path.of(System.getProperty("java.io.tmpdir"));
            return Files.createTempDirectory(base, "mmipc-pool-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
