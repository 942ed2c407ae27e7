package io.mmipc.examples.queue;

import io.mmipc.SharedObjects;
import io.mmipc.codec.Codecs;
import io.mmipc.examples.Children;
import io.mmipc.examples.Examples;
import io.mmipc.process.SharedProcess;
import io.mmipc.queue.LostTasksException;
import io.mmipc.queue.QueueShutdownException;
import io.mmipc.queue.SharedJoinableQueue;
import io.mmipc.sync.SharedEvent;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Producers and consumers sharing a {@link SharedJoinableQueue}, the way Python's {@code JoinableQueue} is
 * used, in three rounds:
 *
 * <ol>
 *   <li><b>join() and sentinels.</b> Producer processes put their items and wait in {@code join()} until the
 *       consumer processes have called {@code taskDone()} for every item, then the main process stops each
 *       consumer with a sentinel item, as Python programs do.</li>
 *   <li><b>join() and shutdown().</b> The same, but one {@code shutdown()} ends every consumer: their
 *       {@code get()} drains what is queued and then throws {@link QueueShutdownException}.</li>
 *   <li><b>A consumer killed.</b> One consumer takes an item and is killed with SIGKILL while holding it.
 *       Python's {@code join()} would hang for ever; here it returns once every other item is done and throws
 *       {@link LostTasksException} naming the lost task and the dead PID.</li>
 * </ol>
 *
 * Run: {@code scripts/example producers-consumers [producers] [consumers] [itemsPerProducer]} (defaults 2, 3, 20000).
 */
public final class ProducersConsumers {
    /** The item that tells a consumer to stop, in round 1. Real items are never negative. */
    static final long SENTINEL = -1;
    /** The longest any process of this example may take; every wait is bounded by it. */
    private static final Duration LIMIT = Duration.ofSeconds(120);

    private ProducersConsumers() {
    }

    /**
     * Runs the three rounds.
     *
     * @param out  where to print what happens
     * @param args optional producer count, consumer count, items per producer
     * @return true if every check passed
     * @throws Exception if a process or an object fails
     */
    public static boolean run(PrintStream out, String... args) throws Exception {
        int producers = Examples.intArg(args, 0, 2);
        int consumers = Examples.intArg(args, 1, 3);
        int items = Examples.intArg(args, 2, 20_000);
        Examples.removeAbandoned(out);
        out.printf("producers and consumers: %d producer processes x %d items, %d consumer processes, objects in %s%n",
                producers, items, consumers, SharedObjects.defaultDirectory());
        boolean ok = round(out, 1, producers, consumers, items);
        ok &= round(out, 2, producers, consumers, items);
        ok &= killedConsumer(out, consumers, producers * items);
        out.println(ok ? "summary: ok (every item consumed once in rounds 1-2; round 3 lost=1, reported by join)"
                : "summary: CHECK FAILED");
        return ok;
    }

    /** Round 1 (sentinels) or 2 (shutdown): producers join, consumers stop, every item is counted once. */
    private static boolean round(PrintStream out, int round, int producers, int consumers, int items)
            throws Exception {
        long t0 = System.nanoTime();
        try (Children children = new Children();
             SharedJoinableQueue<Long> queue = newQueue("pc-items")) {
            List<SharedProcess<long[]>> consumerProcs = startConsumers(children, queue, consumers);
            List<SharedProcess<Void>> producerProcs = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                long first = (long) p * items;
                producerProcs.add(children.start(SharedProcess.builder(() -> produce(queue, first, items)),
                        "producer-" + p));
            }
            for (SharedProcess<Void> p : producerProcs) {
                Examples.result(p, LIMIT); // a producer returns once its join() returned: all items done
            }
            if (round == 1) {
                for (int c = 0; c < consumers; c++) {
                    queue.put(SENTINEL); // one per consumer: each stops at the first it takes
                }
            } else {
                queue.shutdown(); // one call stops them all, in every process
            }
            long[] total = collect(consumerProcs);
            long n = (long) producers * items;
            boolean ok = total[0] == n && total[1] == n * (n - 1) / 2;
            out.printf("round %d (join + %s): %d items consumed by %d processes in %.2f s, lost=%d: %s%n", round,
                    round == 1 ? consumers + " sentinels" : "shutdown()", total[0], consumers,
                    (System.nanoTime() - t0) / 1e9, n - total[0], ok ? "ok" : "CHECK FAILED (checksum)");
            queue.unlink();
            return ok;
        }
    }

    /** Round 3: a consumer dies holding an item; join() says so instead of hanging. */
    private static boolean killedConsumer(PrintStream out, int consumers, int items) throws Exception {
        try (Children children = new Children();
             SharedJoinableQueue<Long> queue = newQueue("pc-items");
             SharedEvent holding = SharedEvent.create("pc-holding")) {
            // The doomed consumer takes one item, says so, and then "hangs" (as a crashed or stuck one would).
            SharedProcess<Void> doomed = children.start(SharedProcess.builder(() -> {
                queue.get();
                holding.set();
                Thread.sleep(LIMIT.toMillis());
            }), "doomed-consumer");
            queue.put(0L);
            if (!holding.await(LIMIT)) {
                throw new IllegalStateException("the doomed consumer never took its item");
            }
            List<SharedProcess<long[]>> consumerProcs = startConsumers(children, queue, consumers);
            for (long i = 1; i < items; i++) {
                queue.put(i);
                if (i == items / 2) {
                    doomed.kill(); // SIGKILL, half-way through the stream
                }
            }
            doomed.join(LIMIT);
            boolean ok;
            try {
                ok = queue.join(LIMIT);
                out.println("round 3: join() returned normally: CHECK FAILED (a task was lost)");
                ok = false;
            } catch (LostTasksException e) {
                // Every other item is done by now; join() tells which process took the missing one.
                ok = e.lostTasks() == 1 && e.lastPid() == doomed.pid();
                out.printf("round 3 (consumer pid %d killed, exit code %d): join() reported lost=%d task(s), last "
                        + "lost by pid %d: %s%n", doomed.pid(), doomed.exitCode().orElse(0), e.lostTasks(),
                        e.lastPid(), ok ? "ok" : "CHECK FAILED");
            }
            queue.shutdown();
            long[] total = collect(consumerProcs);
            ok &= total[0] == items - 1;
            out.printf("round 3: the other consumers finished %d of %d items%n", total[0], items);
            queue.unlink();
            holding.unlink();
            return ok;
        }
    }

    private static SharedJoinableQueue<Long> newQueue(String name) throws IOException {
        return SharedJoinableQueue.builder(name, Codecs.int64()).create();
    }

    private static List<SharedProcess<long[]>> startConsumers(Children children, SharedJoinableQueue<Long> queue,
            int consumers) throws IOException {
        List<SharedProcess<long[]>> procs = new ArrayList<>();
        for (int c = 0; c < consumers; c++) {
            procs.add(children.start(SharedProcess.builder(() -> consume(queue)), "consumer-" + c));
        }
        return procs;
    }

    /** @return the items and the sum of the items all consumers took */
    private static long[] collect(List<SharedProcess<long[]>> consumers) throws Exception {
        long[] total = new long[2];
        for (SharedProcess<long[]> c : consumers) {
            long[] r = Examples.result(c, LIMIT);
            total[0] += r[0];
            total[1] += r[1];
        }
        return total;
    }

    /** A producer process: puts its items, then waits until consumers marked every item in the queue done. */
    static void produce(SharedJoinableQueue<Long> queue, long first, int count) throws InterruptedException {
        for (long i = first; i < first + count; i++) {
            queue.put(i);
        }
        queue.join();
    }

    /**
     * A consumer process: takes items until a sentinel or the queue's shutdown, marking each done.
     *
     * @return how many items it took and their sum
     */
    static long[] consume(SharedJoinableQueue<Long> queue) throws InterruptedException {
        long count = 0;
        long sum = 0;
        while (true) {
            long item;
            try {
                item = queue.get();
            } catch (QueueShutdownException e) {
                return new long[] {count, sum}; // round 2: shut down and drained
            }
            if (item == SENTINEL) {
                queue.taskDone(); // the sentinel is a task too: join() counts it
                return new long[] {count, sum};
            }
            count++;
            sum += item;
            queue.taskDone();
        }
    }
}
