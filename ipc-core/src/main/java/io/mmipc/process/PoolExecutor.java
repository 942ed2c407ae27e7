package io.mmipc.process;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link SharedPool#asExecutorService()}: submits serializable {@code Callable}s and {@code Runnable}s to the
 * pool's workers; anything else is rejected with a {@link RejectedExecutionException} naming its class.
 * Cancelling a returned future does not stop the task in its worker.
 */
final class PoolExecutor extends AbstractExecutorService {
    private final SharedPool pool;

    PoolExecutor(SharedPool pool) {
        this.pool = pool;
    }

    @Override
    public <T> CompletableFuture<T> submit(Callable<T> task) {
        return pool.submit(remote(task));
    }

    @Override
    public CompletableFuture<?> submit(Runnable task) {
        return submit(task, null);
    }

    @Override
    public <T> CompletableFuture<T> submit(Runnable task, T result) {
        Runnable r = serializable(task);
        RemoteTask<T> call = (RemoteTask<T> & Serializable) () -> {
            r.run();
            return result;
        };
        return pool.submit(call);
    }

    @Override
    public void execute(Runnable command) {
        submit(command);
    }

    @Override
    public <T> List<java.util.concurrent.Future<T>> invokeAll(Collection<? extends Callable<T>> tasks)
            throws InterruptedException {
        List<java.util.concurrent.Future<T>> out = new ArrayList<>();
        for (Callable<T> t : tasks) {
            out.add(submit(t));
        }
        for (java.util.concurrent.Future<T> f : out) {
            try {
                f.get();
            } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                // reported through the future
            }
        }
        return out;
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        try {
            return invokeAny(tasks, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new ExecutionException(e);
        }
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("no tasks");
        }
        CompletableFuture<T> first = new CompletableFuture<>();
        AtomicInteger failures = new AtomicInteger();
        List<CompletableFuture<T>> all = new ArrayList<>();
        for (Callable<T> t : tasks) {
            CompletableFuture<T> f = submit(t);
            all.add(f);
            f.whenComplete((v, e) -> {
                if (e == null) {
                    first.complete(v);
                } else if (failures.incrementAndGet() == tasks.size()) {
                    first.completeExceptionally(e);
                }
            });
        }
        try {
            return first.get(timeout, unit);
        } finally {
            all.forEach(f -> f.cancel(false));
        }
    }

    @Override
    public void shutdown() {
        pool.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        pool.terminate();
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return pool.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        try {
            return pool.isShutdown() && pool.join(java.time.Duration.ofNanos(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return pool.join(java.time.Duration.ofNanos(Math.max(1, unit.toNanos(timeout))));
    }

    @SuppressWarnings("unchecked")
    private static <T> RemoteTask<T> remote(Callable<T> task) {
        if (task instanceof RemoteTask) {
            return (RemoteTask<T>) task;
        }
        if (!(task instanceof Serializable)) {
            throw new RejectedExecutionException("not serializable, cannot run in another process: class="
                    + task.getClass().getName());
        }
        Callable<T> c = task;
        return () -> c.call();
    }

    private static Runnable serializable(Runnable task) {
        if (!(task instanceof Serializable)) {
            throw new RejectedExecutionException("not serializable, cannot run in another process: class="
                    + task.getClass().getName());
        }
        return task;
    }
}
