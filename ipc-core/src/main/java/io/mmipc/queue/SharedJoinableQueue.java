package io.mmipc.queue;

import io.mmipc.WaitMode;
import io.mmipc.codec.Codec;
import io.mmipc.internal.file.Registry;
import io.mmipc.internal.file.SharedFile;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.ring.QueueLayout;
import io.mmipc.internal.ring.QueueReclaimer;
import io.mmipc.internal.ring.Ring;
import io.mmipc.internal.ring.TaskCounter;
import io.mmipc.internal.sync.Deadlines;
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
 * <p>As in Python, {@link #taskDone()} may be called in any process, not only the one that took the item: a
 * process that holds no task of its own when it calls it finishes one taken elsewhere, and that task is not
 * counted lost when its taker leaves. Every change of the counts is one atomic step in shared memory, so a
 * process killed at any instruction (inside {@code taskDone}, while forgiving lost tasks, or while reclaiming
 * a dead consumer's tasks) leaves them exact.
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
        this.reclaimer = new QueueReclaimer(mode, file.path());
        this.tasks = new TaskCounter(ring);
    }

    /**
     * Starts building a joinable queue named {@code name}: then {@code create()}, {@code open()} or
     * {@code openOrCreate()}.
     *
     * @param name  the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @param codec how items become bytes
     * @param <E>   the item type
     * @return the builder
     */
    public static <E> QueueBuilder<E, SharedJoinableQueue<E>> builder(String name, Codec<E> codec) {
        return new QueueBuilder<>(name, codec, true, SharedJoinableQueue::new);
    }

    /**
     * Creates a joinable queue with default settings in the default folder.
     *
     * @param name  the object's name
     * @param codec how items become bytes
     * @param <E>   the item type
     * @return the new queue
     * @throws IOException if it exists already or cannot be created
     */
    public static <E> SharedJoinableQueue<E> create(String name, Codec<E> codec) throws IOException {
        return builder(name, codec).create();
    }

    /**
     * Opens an existing joinable queue in the default folder.
     *
     * @param name  the object's name
     * @param codec how items become bytes
     * @param <E>   the item type
     * @return the open queue
     * @throws IOException if there is no such queue or it cannot be read
     */
    public static <E> SharedJoinableQueue<E> open(String name, Codec<E> codec) throws IOException {
        return builder(name, codec).open();
    }

    /**
     * Marks one task done (Python's {@code task_done()}), in this process or any other than the one that took
     * the item.
     *
     * @throws IllegalStateException if called more times than items were put (Python's ValueError), or on a
     *                               closed handle
     */
    public void taskDone() {
        file.enter();
        try {
            tasks.taskDone(file.label());
            // The done count was CAS-published (volatile) before this check, as signalAll requires.
            if (tasks.settled()) {
                joinEvent.signalAll();
            }
        } finally {
            file.exit();
        }
    }

    /**
     * {@return tasks put and not yet done (lost ones included), across all processes}
     *
     * @throws IllegalStateException on a closed handle
     */
    public long unfinishedTasks() {
        file.enter();
        try {
            return tasks.unfinished();
        } finally {
            file.exit();
        }
    }

    /**
     * {@return tasks lost with consumers that died or left without marking them done, not yet forgiven}
     *
     * @throws IllegalStateException on a closed handle
     */
    public long lostTasks() {
        file.enter();
        try {
            return tasks.lost();
        } finally {
            file.exit();
        }
    }

    /**
     * Waits until every task is done (Python's {@code join()}).
     *
     * @throws LostTasksException   if some tasks can never be done because their consumer died
     * @throws InterruptedException if interrupted while waiting
     */
    public void join() throws InterruptedException {
        join(null);
    }

    /**
     * Waits at most {@code timeout} until every task is done.
     *
     * @param timeout the longest wait, or null for none
     * @return true if all tasks are done, false on timeout
     * @throws LostTasksException   if the remaining tasks can never be done because their consumers died
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean join(Duration timeout) throws InterruptedException {
        file.enter();
        try {
            if (!awaitSettled(timeout)) {
                return false;
            }
            long lost = tasks.lost();
            if (lost > 0) {
                throw new LostTasksException(file.label(), lost, tasks.lastLostPid());
            }
            return true;
        } finally {
            file.exit();
        }
    }

    /**
     * Waits until every task is done or lost, then forgives the lost ones (counts them done) and returns
     * how many there were.
     *
     * @param timeout the longest wait, or null for none
     * @return the number of lost tasks forgiven, or -1 on timeout
     * @throws InterruptedException if interrupted while waiting
     */
    public long joinIgnoringLost(Duration timeout) throws InterruptedException {
        file.enter();
        try {
            if (!awaitSettled(timeout)) {
                return -1;
            }
            return tasks.forgiveLost();
        } finally {
            file.exit();
        }
    }

    /** Waits, inside a call entered on the file, until every task is done or lost; false on timeout. */
    private boolean awaitSettled(Duration timeout) throws InterruptedException {
        long deadline = Deadlines.afterOrForever(timeout);
        long[] lastCheck = {System.nanoTime()};
        boolean settled = joinEvent.await(() -> {
            if (file.isClosed()) {
                // close() wakes this event: a join on a handle closed under it leaves at once.
                throw file.closedError();
            }
            if (tasks.settled()) {
                return true;
            }
            long now = System.nanoTime();
            if (now - lastCheck[0] >= DEAD_CHECK_NANOS) {
                lastCheck[0] = now;
                Registry.reclaimDead(memory, file.label(), reclaimer);
                return tasks.settled();
            }
            return false;
        }, deadline, DEAD_CHECK_NANOS);
        // A close of this handle wakes the join, which leaves with the closed error.
        file.ensureOpen();
        return settled;
    }

    @Override
    void afterDiscard() {
        tasks.taskDone(file.label());
    }

    /** A message removed from the middle counted as a task done (see {@code Removal}): join may return now. */
    @Override
    void afterRemove() {
        MappedMemory.fullFence();
        if (tasks.settled()) {
            joinEvent.signalAll();
        }
    }

    @Override
    void wakeEveryone() {
        super.wakeEveryone();
        joinEvent.signalAll();
    }
}
