package io.mmipc.process;

import io.mmipc.internal.log.Log;
import io.mmipc.internal.wait.WakeWarmup;
import io.mmipc.queue.QueueShutdownException;
import io.mmipc.queue.SharedQueue;

import java.io.IOException;
import java.io.Serializable;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a {@link SharedPool} worker runs (as a {@link SharedProcess} task): opens its own task queue and the
 * pool's result queue, runs the initializer, says it is ready, then takes one batch at a time, applies the
 * function to each item and puts the results (or the exception) back, until its queue is shut down or it has
 * done {@code maxTasks} batches. Functions are cached by id ({@link FunctionCache}), so each is sent to a
 * worker once.
 */
final class WorkerLoop implements RemoteRunnable {
    private static final long serialVersionUID = 1L;

    private final String taskQueue;
    private final String resultQueue;
    private final RemoteRunnable initializer;
    private final int maxTasks;

    WorkerLoop(Path taskQueue, Path resultQueue, RemoteRunnable initializer, int maxTasks) {
        this.taskQueue = taskQueue.toString();
        this.resultQueue = resultQueue.toString();
        this.initializer = initializer;
        this.maxTasks = maxTasks;
    }

    @Override
    public void run() throws Exception {
        long pid = ProcessHandle.current().pid();
        // The doorbells' warm-up would compete for the CPU with this worker's start-up (two workers starting on
        // two cores have none to spare): the parent polls until WARM, and the warm-up runs once idle or answered.
        WakeWarmup.defer();
        try (SharedQueue<byte[]> tasks = SharedQueue.builder("tasks", RawBytes.CODEC).path(Path.of(taskQueue)).open();
             SharedQueue<byte[]> results = SharedQueue.builder("results", RawBytes.CODEC).path(Path.of(resultQueue))
                     .open()) {
            if (initializer != null) {
                initializer.run();
            }
            results.put(PoolMessages.result(PoolMessages.READY, PoolMessages.VALUES, pid, new byte[0]));
            AllowList allowed = AllowList.of(List.of());
            FunctionCache<RemoteFunction<Object, Object>> functions = new FunctionCache<>();
            Warm warm = new Warm(results, pid);
            for (int done = 0; maxTasks <= 0 || done < maxTasks; done++) {
                byte[] msg;
                try {
                    msg = tasks.poll();
                    if (msg == null && !warm.sent()) {
                        WakeWarmup.start(warm); // idle: a good moment
                    }
                    if (msg == null) {
                        msg = tasks.take();
                    }
                } catch (QueueShutdownException e) {
                    return;
                }
                PoolMessages.Task t = PoolMessages.readTask(msg);
                allowed.addAll(t.newClasses());
                results.put(runBatch(t, functions, allowed, pid));
                if (!warm.sent()) {
                    WakeWarmup.start(warm); // answered once: the parent has what it waited for
                }
            }
        }
    }

    /** @return the function, or one that throws why it could not be read */
    @SuppressWarnings("unchecked")
    private static RemoteFunction<Object, Object> function(byte[] bytes, AllowList allowed, List<AutoCloseable> opened) {
        try {
            return (RemoteFunction<Object, Object>) TaskSerializer.read(bytes, allowed, opened);
        } catch (IOException | RuntimeException e) {
            return item -> {
                throw e;
            };
        }
    }

    private static byte[] runBatch(PoolMessages.Task t, FunctionCache<RemoteFunction<Object, Object>> functions,
            AllowList allowed, long pid) {
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            RemoteFunction<Object, Object> fn = functions.get(t.fnId());
            if (fn == null) {
                if (t.fn().length == 0) {
                    throw new IllegalStateException("function cache out of step with the parent: fnId=" + t.fnId());
                }
                fn = function(t.fn(), allowed, opened);
                functions.put(t.fnId(), fn); // even one that failed to load: the parent counts it as sent
                opened.clear(); // handles captured by a cached function stay open for its later batches
            }
            Object[] items = (Object[]) TaskSerializer.read(t.items(), allowed, opened);
            Object[] out = new Object[items.length];
            for (int i = 0; i < items.length; i++) {
                out[i] = fn.apply(items[i]);
            }
            byte[] data;
            try {
                data = TaskSerializer.write(out).bytes();
            } catch (IOException e) {
                return PoolMessages.result(t.batchId(), PoolMessages.ERROR, pid, Throwables.encode(
                        new IOException("a result cannot be serialized: " + e, e)));
            }
            return PoolMessages.result(t.batchId(), PoolMessages.VALUES, pid, data);
        } catch (Throwable e) {
            return PoolMessages.result(t.batchId(), PoolMessages.ERROR, pid, Throwables.encode(e));
        } finally {
            for (AutoCloseable c : opened) {
                SharedHandles.closeQuietly(c);
            }
        }
    }

    /** Tells the parent, once, that this worker's wake-ups are loaded (see {@link PoolMessages#WARM}). */
    private static final class Warm implements Runnable {
        private final SharedQueue<byte[]> results;
        private final long pid;
        private final AtomicBoolean sent = new AtomicBoolean();

        Warm(SharedQueue<byte[]> results, long pid) {
            this.results = results;
            this.pid = pid;
        }

        /** @return whether WARM was sent (or is being sent) */
        boolean sent() {
            return sent.get();
        }

        @Override
        public void run() {
            if (!sent.compareAndSet(false, true)) {
                return;
            }
            try {
                results.put(PoolMessages.result(PoolMessages.WARM, PoolMessages.VALUES, pid, new byte[0]));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // The worker is leaving (its queue closed or shut down): the parent stops polling on its own.
                Log.PROCESS.log(Level.DEBUG, "worker " + pid + ": could not send WARM", e);
            }
        }
    }
}
