package io.mmipc.queue;

import io.mmipc.WaitMode;
import io.mmipc.codec.Codec;
import io.mmipc.internal.file.Registry;
import io.mmipc.internal.file.SharedFile;
import io.mmipc.internal.ring.QueueLayout;
import io.mmipc.internal.ring.QueueReclaimer;
import io.mmipc.internal.ring.Ring;
import io.mmipc.internal.ring.TaskCounter;
import io.mmipc.internal.wait.EventCount;

import java.io.IOException;
import java.time.Duration;

/**
 * Python's {@code multiprocessing.JoinableQueue}: a {@link SharedQueue} that counts unfinished tasks across
 * processes. Every put adds one task; {@link #taskDone()} finishes one; {@link #join()} waits until none are
 * left, in any process.
 *
 * <p>Unlike Python's, it does not hang when a consumer dies: the queue knows, per process, how many items
 * each took and has not marked done, and when such a process dies (or closes its last handle) those tasks
 * are counted as lost. {@link #join()} then returns once every task is either done or lost, and throws
 * {@link LostTasksException} naming the lost count and a PID if any were lost; {@link #joinIgnoringLost}
 * waits the same way and returns the lost count instead.
 *
 * @param <E> the item type
 */
public final class SharedJoinableQueue<E> extends SharedQueue<E> {
    private static final long DEAD_CHECK_NANOS = 20_000_000L;

    private final EventCount joinEvent;
    private final QueueReclaimer reclaimer;
    private final TaskCounter tasks;

    SharedJoinableQueue(SharedFile file, Ring ring, Codec<E> codec, WaitMode mode) {
        super(file, ring, codec, mode);
        this.joinEvent = new EventCount(memory, ring.base() + QueueLayout.JOIN_EVENT, mode);
        this.reclaimer = new QueueReclaimer(mode);
        this.tasks = new TaskCounter(ring);
    }

    /** Starts building a joinable queue named {@code name}. */
    public static <E> QueueBuilder<E, SharedJoinableQueue<E>> builder(String name, Codec<E> codec) {
        return new QueueBuilder<>(name, codec, true, SharedJoinableQueue::new);
    }

    /** Creates a joinable queue with default settings in the default folder. */
    public static <E> SharedJoinableQueue<E> create(String name, Codec<E> codec) throws IOException {
        return builder(name, codec).create();
    }

    /** Opens an existing joinable queue in the default folder. */
    public static <E> SharedJoinableQueue<E> open(String name, Codec<E> codec) throws IOException {
        return builder(name, codec).open();
    }

    /**
     * Marks one task done (Python's {@code task_done()}).
     *
     * @throws IllegalStateException if called more times than items were put (Python's ValueError)
     */
    public void taskDone() {
        file.ensureOpen();
        tasks.taskDone(file.label());
        // The done count was CAS-published (volatile) before this check, as signalAll requires.
        if (tasks.settled()) {
            joinEvent.signalAll();
        }
    }

    /** @return tasks put and not yet done or lost, across all processes */
    public long unfinishedTasks() {
        return tasks.unfinished();
    }

    /** @return tasks lost with consumers that died or left without marking them done */
    public long lostTasks() {
        return tasks.lost();
    }

    /**
     * Waits until every task is done (Python's {@code join()}).
     *
     * @throws LostTasksException if some tasks can never be done because their consumer died
     */
    public void join() throws InterruptedException {
        join(null);
    }

    /**
     * Waits at most {@code timeout} until every task is done.
     *
     * @return true if all tasks are done, false on timeout
     * @throws LostTasksException if the remaining tasks can never be done because their consumers died
     */
    public boolean join(Duration timeout) throws InterruptedException {
        if (!awaitSettled(timeout)) {
            return false;
        }
        long lost = tasks.lost();
        if (lost > 0) {
            throw new LostTasksException(file.label(), lost, tasks.lastLostPid());
        }
        return true;
    }

    /**
     * Waits until every task is done or lost, then forgives the lost ones (counts them done) and returns
     * how many there were.
     *
     * @param timeout the longest wait, or null for none
     * @return the number of lost tasks forgiven, or -1 on timeout
     */
    public long joinIgnoringLost(Duration timeout) throws InterruptedException {
        if (!awaitSettled(timeout)) {
            return -1;
        }
        return tasks.forgiveLost();
    }

    private boolean awaitSettled(Duration timeout) throws InterruptedException {
        file.ensureOpen();
        long deadline = timeout == null ? Long.MAX_VALUE : deadline(timeout);
        long[] lastCheck = {System.nanoTime()};
        return joinEvent.await(() -> {
            if (tasks.settled()) {
                return true;
            }
            long now = System.nanoTime();
            if (now - lastCheck[0] >= DEAD_CHECK_NANOS) {
                lastCheck[0] = now;
                Registry.reclaimDead(memory, reclaimer);
                return tasks.settled();
            }
            return false;
        }, deadline == 0 ? System.nanoTime() : deadline, DEAD_CHECK_NANOS);
    }

    @Override
    void afterDiscard() {
        tasks.taskDone(file.label());
    }

    @Override
    void wakeEveryone() {
        super.wakeEveryone();
        joinEvent.signalAll();
    }
}
