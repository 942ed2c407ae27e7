package io.mmipc.queue;

import io.mmipc.codec.Codecs;
import io.mmipc.internal.file.HeaderLayout;
import io.mmipc.internal.file.Registry;
import io.mmipc.internal.proc.ProcessIdentity;
import io.mmipc.internal.ring.QueueLayout;
import io.mmipc.testing.ChildJvm;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Python's {@code JoinableQueue} across processes: task counting, join woken from another process, the
 * errors Python has (task_done too often) and the hang it has not (a consumer that dies holding tasks).
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class JoinableQueueTest {
    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(60);

    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("join");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestDirs.delete(dir);
    }

    private SharedJoinableQueue<String> create(String name) throws Exception {
        return SharedJoinableQueue.builder(name, Codecs.string()).directory(dir).create();
    }

    private static <T> CompletableFuture<T> async(Callable<T> call) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(call.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "join-test-async");
        t.setDaemon(true);
        t.start();
        return f;
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void aJoinInOneProcessWakesWhenAConsumerInAnotherFinishesTheLastTask() throws Exception {
        int tasks = 20;
        try (SharedJoinableQueue<String> q = create("jobs")) {
            for (int i = 0; i < tasks; i++) {
                q.put("task" + i);
            }
            assertEquals(tasks, q.unfinishedTasks());
            try (ChildJvm joiner = ChildJvm.start(QueueChild.class, "join", dir.toString(), "jobs");
                 ChildJvm worker = ChildJvm.start(QueueChild.class, "work", dir.toString(), "jobs",
                         String.valueOf(tasks), "700")) {
                joiner.expect("ready", START);
                CompletableFuture<Boolean> parentJoin = async(() -> q.join(WAIT));
                worker.expect("ready", START);
                // The worker has taken everything and sits on the last task before marking it done.
                awaitTrue(() -> q.qsize() == 0 && q.unfinishedTasks() == 1, "the worker to hold only the last task");
                Thread.sleep(100);
                assertFalse(parentJoin.isDone(), "join returned with a task unfinished");
                assertEquals(List.of("ready"), joiner.output(), "the joining child returned with a task unfinished");
                worker.expect("worked", START);
                assertTrue(parentJoin.get(WAIT.toSeconds(), TimeUnit.SECONDS));
                joiner.expect("joined", START);
                assertEquals(0, worker.waitFor(START));
                assertEquals(0, joiner.waitFor(START));
            }
            assertEquals(0, q.unfinishedTasks());
            assertEquals(0, q.lostTasks());
            assertTrue(q.join(Duration.ZERO));
        }
    }

    @Test
    void producersAndConsumersInSeveralProcessesCountEveryTaskOnce() throws Exception {
        int producers = 2;
        int consumers = 2;
        int perProducer = 5_000;
        List<ChildJvm> children = new ArrayList<>();
        try (SharedJoinableQueue<byte[]> q = SharedJoinableQueue.builder("many", Codecs.bytes()).directory(dir)
                .capacity(1 << 16).create()) {
            for (int k = 0; k < consumers; k++) {
                children.add(ChildJvm.start(QueueChild.class, "consume", dir.toString(), "many", "joinable", "false", "-"));
            }
            for (int p = 0; p < producers; p++) {
                children.add(ChildJvm.start(QueueChild.class, "produce", dir.toString(), "many", "joinable",
                        String.valueOf(p), String.valueOf(perProducer), String.valueOf(q.maxInlineMessage()), "1000",
                        "false"));
            }
            for (ChildJvm c : children) {
                c.expect("ready", START);
            }
            for (ChildJvm c : children.subList(consumers, children.size())) {
                c.expect("done", WAIT);
                assertEquals(0, c.waitFor(WAIT));
            }
            assertTrue(q.join(WAIT), "join: unfinished=" + q.unfinishedTasks());
            assertEquals(0, q.unfinishedTasks());
            assertEquals(0, q.qsize());
            q.shutdown();
            int total = 0;
            for (ChildJvm c : children.subList(0, consumers)) {
                assertEquals(0, c.waitFor(WAIT));
                String last = c.output().get(c.output().size() - 1);
                total += Integer.parseInt(last.substring("done ".length()));
            }
            assertEquals(producers * perProducer, total);
            assertEquals(0, q.lostTasks(), "consumers that closed after finishing every task lost none");
        } finally {
            for (ChildJvm c : children) {
                c.close();
            }
        }
    }

    /**
     * taskDone must never be refused while the caller holds a task it took, however many tasks other threads
     * put and finish meanwhile (the check compares the tasks put with those done: both must be read so that
     * tasks put and done in between cannot make the caller's own task disappear). Few tasks in flight, many
     * finishing threads, so the count keeps touching 1.
     */
    @Test
    void taskDoneIsNeverRefusedWhileOtherThreadsPutAndFinishTasks() throws Exception {
        int consumers = 3;
        int perProducer = 100_000;
        try (SharedJoinableQueue<Integer> q = SharedJoinableQueue.builder("race", Codecs.int32()).directory(dir)
                .maxSize(2).create()) {
            List<CompletableFuture<Integer>> workers = new ArrayList<>();
            workers.add(async(() -> {
                for (int i = 0; i < perProducer; i++) {
                    q.put(i);
                }
                return perProducer;
            }));
            for (int k = 0; k < consumers; k++) {
                workers.add(async(() -> {
                    int n = 0;
                    while (true) {
                        try {
                            q.take();
                        } catch (QueueShutdownException e) {
                            return n;
                        }
                        q.taskDone();
                        n++;
                    }
                }));
            }
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!q.join(Duration.ofMillis(100))) {
                for (CompletableFuture<Integer> w : workers) {
                    if (w.isCompletedExceptionally()) {
                        w.get(); // throws what the worker threw
                    }
                }
                assertTrue(System.nanoTime() - deadline < 0, "join did not return: unfinished=" + q.unfinishedTasks());
            }
            assertEquals(perProducer, workers.get(0).get(WAIT.toSeconds(), TimeUnit.SECONDS));
            q.shutdown();
            int taken = 0;
            for (CompletableFuture<Integer> w : workers.subList(1, workers.size())) {
                taken += w.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            assertEquals(perProducer, taken);
            assertEquals(0, q.unfinishedTasks());
        }
    }

    @Test
    void taskDoneMoreOftenThanPutIsAnIllegalState() throws Exception {
        try (SharedJoinableQueue<String> q = create("td"); SharedJoinableQueue<String> other =
                SharedJoinableQueue.builder("td", Codecs.string()).directory(dir).open()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, q::taskDone);
            assertTrue(e.getMessage().contains("'td'"), e.getMessage());
            q.put("a");
            q.put("b");
            assertEquals("a", other.take());
            assertEquals("b", q.take());
            other.taskDone();
            q.taskDone();
            assertThrows(IllegalStateException.class, q::taskDone);
            assertThrows(IllegalStateException.class, other::taskDone);
            assertEquals(0, q.unfinishedTasks());
            assertTrue(q.join(Duration.ZERO));
            q.put("c");
            assertEquals(1, q.unfinishedTasks(), "a refused taskDone did not count");
            assertEquals("c", q.take());
            q.taskDone();
            assertTrue(q.join(Duration.ZERO));
        }
    }

    @Test
    void joinReportsTasksLostWithAKilledConsumerNamingItsPid() throws Exception {
        int rounds = 3;
        long[] waiting = new long[rounds];
        long[] fresh = new long[rounds];
        try (SharedJoinableQueue<String> q = create("lost")) {
            for (int r = 0; r < rounds; r++) {
                // (a) join already waiting when the consumer is killed
                for (int i = 0; i < 5; i++) {
                    q.put("t" + i);
                }
                try (ChildJvm victim = ChildJvm.start(QueueChild.class, "take-keep", dir.toString(), "lost", "3")) {
                    victim.expect("took 3", START);
                    assertEquals("t3", q.take());
                    assertEquals("t4", q.take());
                    q.taskDone();
                    q.taskDone();
                    CompletableFuture<Boolean> join = async(() -> {
                        q.join();
                        return true;
                    });
                    Thread.sleep(100);
                    assertFalse(join.isDone(), "the consumer is alive: its tasks may still be done");
                    long t0 = System.nanoTime();
                    victim.kill();
                    ExecutionException e = assertThrows(ExecutionException.class,
                            () -> join.get(WAIT.toSeconds(), TimeUnit.SECONDS));
                    waiting[r] = System.nanoTime() - t0;
                    LostTasksException lost = assertInstanceOf(LostTasksException.class, e.getCause());
                    assertEquals(3, lost.lostTasks());
                    assertEquals(victim.pid(), lost.lastPid());
                    assertTrue(lost.getMessage().contains("pid=" + victim.pid()) && lost.getMessage().contains("'lost'"),
                            lost.getMessage());
                }
                assertEquals(3, q.lostTasks());
                assertEquals(3, q.joinIgnoringLost(WAIT));
                assertEquals(0, q.lostTasks());
                assertEquals(0, q.unfinishedTasks());
                assertTrue(q.join(Duration.ZERO));

                // (b) join called after the kill
                q.put("u");
                try (ChildJvm victim = ChildJvm.start(QueueChild.class, "take-keep", dir.toString(), "lost", "1")) {
                    victim.expect("took 1", START);
                    victim.kill();
                    long t0 = System.nanoTime();
                    LostTasksException lost = assertThrows(LostTasksException.class, () -> q.join(WAIT));
                    fresh[r] = System.nanoTime() - t0;
                    assertEquals(1, lost.lostTasks());
                    assertEquals(victim.pid(), lost.lastPid());
                }
                assertEquals(1, q.joinIgnoringLost(null));
                assertTrue(q.join(Duration.ZERO));
            }
        }
        System.out.println("join: dead consumer detected, join already waiting: " + summary(waiting)
                + "; join called after the kill: " + summary(fresh));
        for (int r = 0; r < rounds; r++) {
            assertTrue(waiting[r] < 2_000_000_000L && fresh[r] < 2_000_000_000L, "detection took over 2 s");
        }
    }

    private static String summary(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return String.format("min %.1f ms, median %.1f ms, max %.1f ms (n=%d)", s[0] / 1e6, s[s.length / 2] / 1e6,
                s[s.length - 1] / 1e6, s.length);
    }

    @Test
    void closingAHandleWakesAJoinBlockedOnItWithTheClosedErrorAndLeavesOtherHandlesWorking() throws Exception {
        try (SharedJoinableQueue<String> q = create("close");
             SharedJoinableQueue<String> other = SharedJoinableQueue.builder("close", Codecs.string()).directory(dir)
                     .open()) {
            q.put("t");
            CompletableFuture<Boolean> join = async(() -> other.join(WAIT));
            Thread.sleep(200);
            assertFalse(join.isDone(), "a task is unfinished: join must wait");
            other.close();
            ExecutionException e = assertThrows(ExecutionException.class, () -> join.get(10, TimeUnit.SECONDS));
            IllegalStateException closed = assertInstanceOf(IllegalStateException.class, e.getCause());
            assertTrue(closed.getMessage().contains("'close'"), closed.getMessage());
            assertThrows(IllegalStateException.class, other::taskDone);
            assertThrows(IllegalStateException.class, other::unfinishedTasks);
            assertEquals("t", q.take());
            q.taskDone();
            assertTrue(q.join(Duration.ZERO));
            assertEquals(0, q.lostTasks());
        }
    }

    @Test
    void immediateShutdownReleasesJoinEverywhere() throws Exception {
        try (SharedJoinableQueue<String> q = create("sd")) {
            for (int i = 0; i < 3; i++) {
                q.put("t" + i);
            }
            try (ChildJvm joiner = ChildJvm.start(QueueChild.class, "join", dir.toString(), "sd")) {
                joiner.expect("ready", START);
                CompletableFuture<Boolean> join = async(() -> q.join(WAIT));
                Thread.sleep(200);
                assertFalse(join.isDone());
                q.shutdown(true);
                assertTrue(join.get(WAIT.toSeconds(), TimeUnit.SECONDS));
                joiner.expect("joined", START);
            }
            assertEquals(0, q.unfinishedTasks());
            assertEquals(0, q.qsize());
        }
    }

    @Test
    void shutdownWakesConsumersAndProducersBlockedInOtherProcesses() throws Exception {
        try (SharedJoinableQueue<String> empty = create("empty");
             SharedJoinableQueue<String> full = SharedJoinableQueue.builder("full", Codecs.string()).directory(dir)
                     .maxSize(1).create()) {
            full.put("x");
            List<ChildJvm> blocked = List.of(
                    ChildJvm.start(QueueChild.class, "get", dir.toString(), "empty", "joinable"),
                    ChildJvm.start(QueueChild.class, "get", dir.toString(), "empty", "joinable"),
                    ChildJvm.start(QueueChild.class, "put", dir.toString(), "full", "joinable", "y"));
            try {
                for (ChildJvm c : blocked) {
                    c.expect("ready", START);
                }
                Thread.sleep(300);
                for (ChildJvm c : blocked) {
                    assertEquals(List.of("ready"), c.output(), "should be blocked");
                }
                long t0 = System.nanoTime();
                empty.shutdown();
                full.shutdown();
                for (ChildJvm c : blocked) {
                    c.expect("shutdown", START);
                    assertEquals(0, c.waitFor(START));
                }
                System.out.printf("shutdown: 3 blocked processes woke in %.1f ms (incl. their stdout)%n",
                        (System.nanoTime() - t0) / 1e6);
            } finally {
                for (ChildJvm c : blocked) {
                    c.close();
                }
            }
            assertEquals("x", full.get(), "a plain shutdown lets gets drain");
            full.taskDone();
            assertTrue(full.join(Duration.ofSeconds(5)));
        }
    }

    /**
     * A consumer killed after recording its take (per-process task count) but before moving the head: the
     * message is still queued and will be taken again, so the dead process's count must be corrected, whoever
     * gets to the dead consumer first: the next consumer (which takes the consumer lock over), or a join that
     * reclaims the dead process's registry entry. The crash state is forged in shared memory, exactly as such
     * a kill leaves it: the consumer lock and the take record name a process that is gone.
     */
    @Test
    void aConsumerKilledBetweenRecordingItsTakeAndMovingTheHeadLosesNoTask() throws Exception {
        for (boolean joinFirst : new boolean[] {true, false}) {
            String name = joinFirst ? "forged-join" : "forged-take";
            try (SharedJoinableQueue<String> q = create(name)) {
                q.put("a");
                long token;
                int entry;
                try (ChildJvm victim = ChildJvm.start(QueueChild.class, "open", dir.toString(), name, "joinable")) {
                    victim.expect("ready", START);
                    entry = -1;
                    for (int i = 0; i < HeaderLayout.REGISTRY_ENTRIES; i++) {
                        long t = Registry.token(q.memory, i);
                        if (t != 0 && t != ProcessIdentity.self()) {
                            entry = i;
                        }
                    }
                    assertTrue(entry >= 0);
                    token = Registry.token(q.memory, entry);
                    victim.kill();
                }
                int base = HeaderLayout.BODY_OFFSET;
                long headPos = q.memory.getLongVolatile(base + QueueLayout.HEAD) >>> 24;
                // What the dead consumer wrote: the lock, then "took 1, the last from the head position".
                q.memory.putLongVolatile(base + QueueLayout.CONSUMER_LOCK, token);
                q.memory.putLongVolatile(HeaderLayout.entryCounterOffset(entry, QueueLayout.COUNTER_TAKE),
                        (headPos << 24) | 1);
                if (joinFirst) {
                    assertFalse(q.join(Duration.ofMillis(300)), "the task is still queued: join must wait");
                    assertEquals(0, q.lostTasks(), "a take that never completed is not a lost task");
                }
                assertEquals("a", q.poll(5, TimeUnit.SECONDS), "the message the dead consumer was taking is delivered");
                q.taskDone();
                assertTrue(q.join(Duration.ofSeconds(5)));
                assertEquals(0, q.lostTasks());
                assertEquals(0, q.unfinishedTasks());
                // And the counts stay right for the next task.
                q.put("b");
                assertEquals("b", q.take());
                q.taskDone();
                assertTrue(q.join(Duration.ofSeconds(5)));
            }
        }
    }
}
