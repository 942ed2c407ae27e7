package io.mmipc.process;

import io.mmipc.internal.log.Log;
import io.mmipc.internal.wait.WakeWarmup;
import io.mmipc.queue.QueueShutdownException;
import io.mmipc.queue.SharedQueue;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.Serializable;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
    /** First byte of {@link #plain()}'s form. */
    static final byte MARK = 'W';

    private final String taskQueue;
    private final String resultQueue;
    private final RemoteRunnable initializer;
    private final int maxTasks;

    WorkerLoop(Path taskQueue, Path resultQueue, RemoteRunnable initializer, int maxTasks) {
        this(taskQueue.toString(), resultQueue.toString(), initializer, maxTasks);
    }

    private WorkerLoop(String taskQueue, String resultQueue, RemoteRunnable initializer, int maxTasks) {
        this.taskQueue = taskQueue;
        this.resultQueue = resultQueue;
        this.initializer = initializer;
        this.maxTasks = maxTasks;
    }

    /**
     * This task without Java serialization, so a worker's start-up does not load it (see {@link PlainLambdas}):
     * {@code 'W'} and the {@link PlainValues} form of {@code Object[] { task queue, result queue, max tasks,
     * initializer }}, the initializer null or in the {@link PlainLambdas} form.
     *
     * @return the form and the classes it names, or null if the initializer needs Java serialization
     */
    TaskSerializer.Written plain() {
        TaskSerializer.Written init = initializer == null ? null : PlainLambdas.encode(initializer);
        if (initializer != null && init == null) {
            return null;
        }
        byte[] bytes = PlainValues.encode(new Object[] {taskQueue, resultQueue, maxTasks,
            init == null ? null : init.bytes()}, MARK);
        return bytes == null ? null : new TaskSerializer.Written(bytes, init == null ? Set.of() : init.classes());
    }

    /**
     * Reads what {@link #plain()} wrote.
     *
     * @throws IOException if it is malformed or the initializer cannot be rebuilt
     */
    static WorkerLoop fromPlain(byte[] data, AllowList allowed) throws IOException {
        Object decoded = PlainValues.decode(data, MARK);
        if (!(decoded instanceof Object[]) || ((Object[]) decoded).length != 4) {
            throw new InvalidObjectException("malformed worker task");
        }
        Object[] f = (Object[]) decoded;
        if (!(f[0] instanceof String) || !(f[1] instanceof String) || !(f[2] instanceof Integer)
                || !(f[3] == null || f[3] instanceof byte[])) {
            throw new InvalidObjectException("malformed worker task");
        }
        RemoteRunnable init = null;
        if (f[3] != null) {
            Object o = PlainLambdas.decode((byte[]) f[3], allowed);
            if (!(o instanceof RemoteRunnable)) {
                throw new InvalidObjectException("malformed worker task: the initializer is a " + o.getClass().getName());
            }
            init = (RemoteRunnable) o;
        }
        return new WorkerLoop((String) f[0], (String) f[1], init, (Integer) f[2]);
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
