package io.mmipc.process;

import io.mmipc.pipe.PipeConnection;
import io.mmipc.queue.SharedQueue;
import io.mmipc.sync.SharedEvent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

/**
 * Python's {@code multiprocessing.connection.wait}: waits until at least one of several objects is ready
 * and returns the ready ones. Ready means:
 * <ul>
 * <li>a {@link SharedQueue}: a {@code get} would not block (an item is there, or the queue is shut down);</li>
 * <li>a {@link PipeConnection}: {@code poll()} is true (a message is there, or end-of-file);</li>
 * <li>a {@link SharedProcess}, {@link Process} or {@link ProcessHandle}: it has exited;</li>
 * <li>a {@link SharedEvent}: it is set; a {@link Future}: it is done.</li>
 * </ul>
 *
 * <p>It looks at every object in turn, then sleeps briefly (50 µs, doubling up to 1 ms) before looking
 * again; so a ready object is noticed within about a millisecond, and an idle wait costs little CPU. The
 * objects' own blocking calls ({@code get}, {@code recv}) wake faster: wait on one object with those.
 */
public final class Waiter {
    private static final long FIRST_SLEEP_NANOS = 50_000;
    private static final long MAX_SLEEP_NANOS = 1_000_000;

    private Waiter() {
    }

    /**
     * Waits until at least one object is ready, or the timeout passes.
     *
     * @param timeout how long to wait at most (null: no limit; zero: just look)
     * @param objects queues, pipe connections, processes, events or futures
     * @return the ready objects, in the order given (empty after a timeout)
     * @throws IllegalArgumentException if an object is none of the supported kinds
     * @throws InterruptedException     if interrupted while waiting
     */
    public static List<Object> waitAny(Duration timeout, Object... objects) throws InterruptedException {
        for (Object o : objects) {
            Objects.requireNonNull(o, "objects");
            if (!supported(o)) {
                throw new IllegalArgumentException("cannot wait on this: class=" + o.getClass().getName()
                        + " (queues, pipe connections, processes, events and futures)");
            }
        }
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + Math.max(0, timeout.toNanos());
        long sleep = FIRST_SLEEP_NANOS;
        while (true) {
            List<Object> ready = new ArrayList<>();
            for (Object o : objects) {
                if (isReady(o)) {
                    ready.add(o);
                }
            }
            long left = deadline - System.nanoTime();
            if (!ready.isEmpty() || left <= 0) {
                return ready;
            }
            LockSupport.parkNanos(Math.min(sleep, left));
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted in Waiter.waitAny");
            }
            sleep = Math.min(MAX_SLEEP_NANOS, sleep * 2);
        }
    }

    private static boolean supported(Object o) {
        return o instanceof SharedQueue || o instanceof PipeConnection || o instanceof SharedProcess
                || o instanceof Process || o instanceof ProcessHandle || o instanceof SharedEvent || o instanceof Future;
    }

    private static boolean isReady(Object o) {
        if (o instanceof SharedQueue) {
            SharedQueue<?> q = (SharedQueue<?>) o;
            return q.isShutdown() || !q.isEmpty();
        } else if (o instanceof PipeConnection) {
            return ((PipeConnection<?>) o).poll();
        } else if (o instanceof SharedProcess) {
            return !((SharedProcess<?>) o).isAlive();
        } else if (o instanceof Process) {
            return !((Process) o).isAlive();
        } else if (o instanceof ProcessHandle) {
            return !((ProcessHandle) o).isAlive();
        } else if (o instanceof SharedEvent) {
            return ((SharedEvent) o).isSet();
        }
        return ((Future<?>) o).isDone();
    }
}
