package io.mmipc.process;

import io.mmipc.queue.SharedQueue;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * One worker of a pool and what the parent knows about it: its process, its private task queue, the batches
 * sent to it in order (the first is the one it works on), and which functions and classes it has already been
 * sent. Guarded by the pool core's lock.
 */
final class WorkerSlot {
    final int index;
    final int generation;
    final SharedProcess<Void> process;
    final SharedQueue<byte[]> queue;
    final ArrayDeque<Batch> outstanding = new ArrayDeque<>();
    final FunctionCache<Boolean> knownFunctions = new FunctionCache<>();
    final Set<String> knownClasses = new HashSet<>();
    /** Batch ids this worker was killed for overrunning the timeout. */
    final Set<Long> timedOut = new HashSet<>();
    /** When it said it was ready (System.nanoTime), 0 before. */
    long readyAt;
    /** When it said its wake-ups were loaded (System.nanoTime), 0 before. */
    long warmAt;
    /** When its last result arrived (System.nanoTime). */
    long lastResultAt;
    /** When it was started (System.nanoTime). */
    final long startedAt = System.nanoTime();

    WorkerSlot(int index, int generation, SharedProcess<Void> process, SharedQueue<byte[]> queue) {
        this.index = index;
        this.generation = generation;
        this.process = process;
        this.queue = queue;
    }

    /**
     * @return whether it is new and the parent should poll for its words rather than sleep (a sleeping parent
     *         makes a worker's put ring, and a worker's first ring loads the JDK's socket stack): started less
     *         than {@code window} nanoseconds ago, and not ready yet, or its first result not back yet, or
     *         its wake-ups not loaded yet after a first result
     */
    boolean starting(long now, long window) {
        boolean awaited = readyAt == 0 || (lastResultAt == 0 ? !outstanding.isEmpty() : warmAt == 0);
        return awaited && now - startedAt < window;
    }

    /** @return when the batch it works on started, as well as the parent can tell, or 0 if not started */
    long currentStart() {
        Batch head = outstanding.peekFirst();
        if (head == null || readyAt == 0) {
            return 0;
        }
        return Math.max(head.sentAt, Math.max(readyAt, lastResultAt));
    }

    @Override
    public String toString() {
        return "worker " + index + "." + generation + " (pid " + process.pid() + ")";
    }
}
