package io.mmipc.process;

import io.mmipc.internal.log.Log;
import io.mmipc.queue.SharedQueue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The parent side of a {@link SharedPool}: one thread reads the result queue, hands outcomes to their
 * batches, sends more batches, and watches the workers. Each worker has its own task queue holding at most
 * {@link #PREFETCH} batches, so the parent always knows which batches a worker holds: when it dies, the
 * batches still in its queue are sent elsewhere and only the one it was working on fails, with an error naming
 * its PID and exit status (or a timeout, when the parent killed it for overrunning). It is then replaced.
 */
final class PoolCore {
    /** Batches queued per worker: enough to keep it busy between result round trips. */
    static final int PREFETCH = 8;
    /** How often the result thread looks at the workers when no result arrives. */
    private static final long POLL_MILLIS = 20;
    /** How often the result thread looks for results while a worker is new (see {@link #anyStarting}). */
    private static final long STARTING_POLL_NANOS = 200_000L;
    /** How long a worker counts as new at most, whether or not a result came back (a stuck initializer). */
    private static final long STARTING_WINDOW_NANOS = 2_000_000_000L;
    /** Workers dying before they are ready this many times in a row break the pool. */
    private static final int MAX_START_FAILURES = 3;
    private static final long STOP_MILLIS = 10_000;

    private final PoolSettings settings;
    private final Path dir;
    private final SharedQueue<byte[]> results;
    private final AllowList resultAllow;
    private final WorkerSlot[] slots;
    private final ArrayDeque<Batch> pending = new ArrayDeque<>();
    private final Map<Long, Batch> inFlight = new HashMap<>();
    private final Thread resultThread;
    private long nextId = 1;
    private int generation;
    private int startFailures;
    private boolean shutdown;
    private boolean terminated;
    private long completed;

    PoolCore(PoolSettings settings, Path dir) throws IOException {
        this.settings = settings;
        this.dir = dir;
        this.results = SharedQueue.builder("results", RawBytes.CODEC).directory(dir).capacity(4 << 20).create();
        this.resultAllow = AllowList.ofClasses(settings.allowed());
        this.slots = new WorkerSlot[settings.workers()];
        try {
            for (int i = 0; i < slots.length; i++) {
                slots[i] = startWorker(i);
            }
        } catch (IOException | RuntimeException e) {
            for (WorkerSlot s : slots) {
                if (s != null) {
                    s.process.close();
                }
            }
            results.close();
            throw e;
        }
        resultThread = new Thread(this::readResults, settings.name() + "-results");
        resultThread.setDaemon(true);
        resultThread.start();
    }

    private WorkerSlot startWorker(int index) throws IOException {
        int gen = ++generation;
        SharedQueue<byte[]> queue = SharedQueue.builder("w" + index + "-" + gen, RawBytes.CODEC).directory(dir)
                .capacity(1 << 20).create();
        try {
            SharedProcess<Void> p = SharedProcess.builder(new WorkerLoop(queue.path(), results.path(),
                    settings.initializer(), settings.maxTasks())).name(settings.name() + "-worker-" + index)
                    .jvmOptions(settings.jvmOptions()).classDataSharing(settings.classDataSharing())
                    .removeWhenOrphaned(dir).start();
            return new WorkerSlot(index, gen, p, queue);
        } catch (IOException | RuntimeException e) {
            queue.close();
            queue.unlink();
            throw e;
        }
    }

    /** @return a new batch id */
    synchronized long newId() {
        return nextId++;
    }

    /**
     * Queues batches for the workers.
     *
     * @throws RejectedExecutionException if the pool is shut down
     */
    synchronized void submit(List<Batch> batches) {
        if (shutdown) {
            throw new RejectedExecutionException("pool '" + settings.name() + "' is shut down");
        }
        for (Batch b : batches) {
            resultAllow.addAll(b.itemClasses);
            resultAllow.addAll(b.fn.classes());
            pending.add(b);
        }
        dispatch();
    }

    /** Sends pending batches to workers with room (the least loaded first). */
    private void dispatch() {
        while (!pending.isEmpty()) {
            WorkerSlot best = null;
            for (WorkerSlot s : slots) {
                if (s != null && s.process.isAlive() && s.outstanding.size() < PREFETCH
                        && (best == null || s.outstanding.size() < best.outstanding.size())) {
                    best = s;
                }
            }
            if (best == null || !send(best, pending.peekFirst())) {
                return;
            }
            pending.pollFirst();
        }
    }

    private boolean send(WorkerSlot s, Batch b) {
        Set<String> fresh = new LinkedHashSet<>(b.fn.classes());
        fresh.addAll(b.itemClasses);
        fresh.removeAll(s.knownClasses);
        boolean knowsFn = s.knownFunctions.get(b.fn.id()) != null; // the same get-then-put as the worker's cache
        byte[] msg = PoolMessages.task(b.id, b.fn.id(), fresh, knowsFn ? null : b.fn.bytes(), b.items);
        if (!s.queue.offer(msg)) {
            return false;
        }
        s.knownClasses.addAll(fresh);
        if (!knowsFn) {
            s.knownFunctions.put(b.fn.id(), Boolean.TRUE);
        }
        b.slot = s;
        b.sentAt = System.nanoTime();
        s.outstanding.addLast(b);
        inFlight.put(b.id, b);
        return true;
    }

    private void readResults() {
        try {
            boolean starting = true; // the workers were just started
            while (true) {
                byte[] msg;
                if (starting) {
                    // While a worker is new, look without sleeping on the queue: a sleeper here would make the
                    // worker's put ring a doorbell, and its first ring initialises the JDK's Unix-socket stack
                    // (~30 ms) on the path to its result; the worker loads it once idle or answered (WARM).
                    msg = results.poll();
                    if (msg == null) {
                        java.util.concurrent.locks.LockSupport.parkNanos(STARTING_POLL_NANOS);
                        if (Thread.interrupted()) {
                            throw new InterruptedException(); // as the timed poll below would
                        }
                    }
                } else {
                    msg = results.poll(POLL_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
                }
                synchronized (this) {
                    while (msg != null) {
                        handle(msg);
                        msg = results.poll();
                    }
                    checkWorkers();
                    dispatch();
                    if (terminated || (shutdown && pending.isEmpty() && inFlight.isEmpty())) {
                        break;
                    }
                    starting = anyStarting();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            System.err.println(settings.name() + ": result thread failed: " + e);
            e.printStackTrace();
            terminate();
        }
        stopWorkers();
    }

    /**
     * @return whether a worker is new and a word of it is awaited before its puts may ring (its ready message,
     *         the result of its first batch, then its WARM; see {@link WorkerSlot#starting}), started under
     *         {@value #STARTING_WINDOW_NANOS} ns ago: then the result thread polls every
     *         {@value #STARTING_POLL_NANOS} ns instead of sleeping. Lock held.
     */
    private boolean anyStarting() {
        long now = System.nanoTime();
        for (WorkerSlot s : slots) {
            if (s != null && s.starting(now, STARTING_WINDOW_NANOS)) {
                return true;
            }
        }
        return false;
    }

    private void handle(byte[] msg) {
        PoolMessages.Result r;
        try {
            r = PoolMessages.readResult(msg);
        } catch (IOException e) {
            throw new UncheckedIOException("malformed result message", e);
        }
        long now = System.nanoTime();
        if (r.batchId() == PoolMessages.READY || r.batchId() == PoolMessages.WARM) {
            for (WorkerSlot s : slots) {
                if (s != null && s.process.pid() == r.pid()) {
                    if (r.batchId() == PoolMessages.WARM) {
                        s.warmAt = now;
                    } else {
                        s.readyAt = now;
                        startFailures = 0;
                    }
                }
            }
            return;
        }
        Batch b = inFlight.remove(r.batchId());
        if (b == null) {
            return; // its worker was declared dead first (a timeout): the batch already failed
        }
        b.slot.outstanding.remove(b);
        b.slot.lastResultAt = now;
        completed += b.count;
        try {
            if (r.status() == PoolMessages.VALUES) {
                b.sink.values((Object[]) TaskSerializer.read(r.data(), resultAllow, new ArrayList<>()));
            } else {
                b.sink.failed(Throwables.decode(r.data(), r.pid()));
            }
        } catch (IOException e) {
            b.sink.failed(new IOException("cannot read the result of batch " + b.id + " from pid " + r.pid() + ": "
                    + e.getMessage(), e));
        }
    }

    private void checkWorkers() {
        long now = System.nanoTime();
        for (int i = 0; i < slots.length; i++) {
            WorkerSlot s = slots[i];
            if (s == null) {
                continue;
            }
            if (s.process.isAlive()) {
                long start = s.currentStart();
                if (settings.taskTimeout() != null && start != 0 && now - start > settings.taskTimeout().toNanos()) {
                    s.timedOut.add(s.outstanding.peekFirst().id);
                    s.process.kill();
                }
                continue;
            }
            workerDied(s);
            slots[i] = null;
            boolean needed = !terminated && (!shutdown || !pending.isEmpty() || !inFlight.isEmpty());
            if (needed) {
                replace(i, s);
            }
        }
    }

    /** Settles a dead worker's batches: results first, then what is still queued goes back, the rest fails. */
    private void workerDied(WorkerSlot s) {
        byte[] msg;
        while ((msg = results.poll()) != null) {
            handle(msg); // everything the dead worker finished is in the result queue by now
        }
        List<Batch> unstarted = new ArrayList<>();
        while ((msg = s.queue.poll()) != null) {
            Batch b = inFlight.remove(PoolMessages.batchIdOf(msg));
            if (b != null) {
                s.outstanding.remove(b);
                b.slot = null;
                unstarted.add(b);
            }
        }
        for (int k = unstarted.size() - 1; k >= 0; k--) {
            pending.addFirst(unstarted.get(k));
        }
        int code = s.process.exitCode().orElse(0);
        for (Batch b : s.outstanding) {
            inFlight.remove(b.id);
            completed += b.count;
            b.sink.failed(s.timedOut.contains(b.id)
                    ? new TimeoutException("task over its time limit: timeout=" + settings.taskTimeout()
                            + "; its worker (pid " + s.process.pid() + ") was killed and replaced")
                    : new ProcessDiedException(s.toString(), s.process.pid(), code, "lost batch " + b.id + " ("
                            + b.count + " item" + (b.count == 1 ? "" : "s") + ")"));
        }
        s.outstanding.clear();
        if (s.readyAt == 0 && ++startFailures >= MAX_START_FAILURES) {
            failAll(new IllegalStateException("pool '" + settings.name() + "': workers die before they are ready ("
                    + startFailures + " in a row, last pid=" + s.process.pid() + ", exitCode=" + code
                    + "): see their stderr (the initializer?)"));
            shutdown = true;
        }
        s.process.close();
        s.queue.close();
        try {
            s.queue.unlink();
        } catch (IOException e) {
            // The pool's folder is removed at the end anyway.
            Log.PROCESS.log(Level.DEBUG, "pool '" + settings.name() + "': cannot unlink a retired worker's queue", e);
        }
    }

    private void replace(int i, WorkerSlot dead) {
        try {
            slots[i] = startWorker(i);
        } catch (IOException | RuntimeException e) {
            failAll(new IllegalStateException("pool '" + settings.name() + "': cannot replace " + dead + ": " + e, e));
        }
    }

    private void failAll(Throwable why) {
        for (Batch b : pending) {
            completed += b.count;
            b.sink.failed(why);
        }
        pending.clear();
    }

    /** Refuses new batches; the workers stop once every batch is done. */
    synchronized void shutdown() {
        shutdown = true;
    }

    /** Kills the workers now; every unfinished batch fails with a {@link CancellationException}. */
    synchronized void terminate() {
        if (terminated) {
            return;
        }
        shutdown = true;
        terminated = true;
        for (WorkerSlot s : slots) {
            if (s != null) {
                s.process.kill();
            }
        }
        CancellationException why = new CancellationException("pool '" + settings.name() + "' terminated");
        failAll(why);
        for (Batch b : inFlight.values()) {
            completed += b.count;
            b.sink.failed(why);
        }
        inFlight.clear();
    }

    /** Ends every worker (its queue shut down, killed if it does not stop in time) and removes the queues. */
    private void stopWorkers() {
        List<WorkerSlot> live = new ArrayList<>();
        synchronized (this) {
            for (WorkerSlot s : slots) {
                if (s != null) {
                    s.queue.shutdown();
                    live.add(s);
                }
            }
        }
        long deadline = System.currentTimeMillis() + STOP_MILLIS;
        for (WorkerSlot s : live) {
            try {
                if (!s.process.join(java.time.Duration.ofMillis(Math.max(1, deadline - System.currentTimeMillis())))) {
                    s.process.kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            s.process.close();
            s.queue.close();
        }
        results.close();
        try {
            SharedProcess.deleteTree(dir);
        } catch (IOException e) {
            Log.PROCESS.log(Level.WARNING, "pool '" + settings.name() + "': cannot remove its folder " + dir
                    + " (mmipc clean removes what is left)", e);
        }
        synchronized (this) {
            terminated = true;
            notifyAll();
        }
    }

    /**
     * Waits until the workers have stopped.
     *
     * @param millis at most this long (0: forever)
     * @return whether they have
     * @throws InterruptedException if interrupted
     */
    boolean awaitStopped(long millis) throws InterruptedException {
        resultThread.join(millis);
        return !resultThread.isAlive();
    }

    synchronized boolean isShutdown() {
        return shutdown;
    }

    /** @return items whose outcome is known (done or failed) */
    synchronized long completed() {
        return completed;
    }

    /** @return the PIDs of the current workers */
    synchronized List<Long> workerPids() {
        List<Long> pids = new ArrayList<>();
        for (WorkerSlot s : slots) {
            if (s != null) {
                pids.add(s.process.pid());
            }
        }
        return pids;
    }
}
