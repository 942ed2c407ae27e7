package io.mmipc.queue;

import io.mmipc.codec.Codecs;
import io.mmipc.internal.file.HeaderLayout;
import io.mmipc.internal.file.Registry;
import io.mmipc.internal.ring.CrashPoint;
import io.mmipc.internal.ring.QueueLayout;
import io.mmipc.internal.ring.QueueReclaimer;
import io.mmipc.internal.wait.EventCount;
import io.mmipc.testing.ChildJvm;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14 item 5: a process that dies in the middle of a joinable queue's task-count transition (taskDone,
 * forgiving lost tasks, reclaiming a departed consumer's tasks) leaves counts that stay exact: join neither
 * hangs nor reports a done task as lost, and a reclaim that is re-run does not count twice. Each child is
 * halted ({@link CrashPoint}: like SIGKILL, no {@code finally} runs) exactly between two steps of the
 * transition, so every step boundary is tried deterministically.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TaskCountCrashTest {
    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** How long a join that should return at once may take before the test calls it hung. */
    private static final Duration HANG = Duration.ofSeconds(10);

    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("crash");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestDirs.delete(dir);
    }

    private SharedJoinableQueue<String> create(String name) throws Exception {
        return SharedJoinableQueue.builder(name, Codecs.string()).directory(dir).create();
    }

    private ChildJvm crashing(String point, String... args) throws Exception {
        return ChildJvm.start(List.of("-D" + CrashPoint.PROPERTY + "=" + point), QueueChild.class, args);
    }

    /** Reclaims every dead process's registry entry now, as join, open and attach do. */
    private static void reclaimDead(SharedJoinableQueue<?> q) {
        Registry.reclaimDead(q.memory, "queue", new QueueReclaimer(EventCount.resolve(null), q.path()));
    }

    /** A task put, taken and marked done now settles at once, and counts exactly. */
    private static void assertCountsStillWork(SharedJoinableQueue<String> q) throws Exception {
        q.put("next");
        assertEquals("next", q.take());
        assertEquals(1, q.unfinishedTasks());
        q.taskDone();
        assertTrue(q.join(Duration.ZERO), "unfinished=" + q.unfinishedTasks());
        assertEquals(0, q.unfinishedTasks());
        assertEquals(0, q.lostTasks());
        assertThrows(IllegalStateException.class, q::taskDone, "one taskDone more than tasks put");
    }

    @ParameterizedTest
    @ValueSource(strings = {"taskDone.published", "taskDone.applied"})
    void aConsumerKilledInsideTaskDoneLeavesTheTaskDoneAndNotLost(String point) throws Exception {
        try (SharedJoinableQueue<String> q = create("td")) {
            q.put("a");
            try (ChildJvm worker = crashing(point, "work", dir.toString(), "td", "1", "0")) {
                worker.expect("ready", START);
                assertEquals(CrashPoint.EXIT_CODE, worker.waitFor(START), "the worker did not reach " + point);
            }
            reclaimDead(q);
            assertEquals(0, q.lostTasks(), "a task marked done was counted lost with its consumer");
            assertEquals(0, q.unfinishedTasks());
            assertTrue(q.join(HANG));
            reclaimDead(q);
            assertEquals(0, q.lostTasks(), "reclaiming again counted the task again");
            assertCountsStillWork(q);
        }
    }

    /** The take step: recorded as the consumer's, then the head moves. Killed in between, the message stays. */
    @Test
    void aConsumerKilledBetweenRecordingATakeAndMovingTheHeadLeavesTheMessageAndItsTaskQueued() throws Exception {
        try (SharedJoinableQueue<String> q = create("tk")) {
            q.put("a");
            try (ChildJvm worker = crashing("take.recorded", "work", dir.toString(), "tk", "1", "0")) {
                worker.expect("ready", START);
                assertEquals(CrashPoint.EXIT_CODE, worker.waitFor(START), "the worker did not reach take.recorded");
            }
            assertFalse(q.join(Duration.ofMillis(200)), "the task is still queued: join must wait");
            reclaimDead(q);
            assertEquals(0, q.lostTasks(), "a take that never completed is not a lost task");
            assertEquals("a", q.poll(5, TimeUnit.SECONDS));
            q.taskDone();
            assertTrue(q.join(HANG));
            assertCountsStillWork(q);
        }
    }

    /**
     * A taskDone published by a process that died before finishing it leaves a mark in the task word; the
     * next taskDone anywhere finishes it and goes on: nobody waits for the dead process.
     */
    @Test
    void aTaskDoneLeftPendingByADeadProcessNeverBlocksOtherProcessesTaskDones() throws Exception {
        int tasks = 2_000;
        try (SharedJoinableQueue<byte[]> q = SharedJoinableQueue.builder("mark", Codecs.bytes()).directory(dir)
                .capacity(1 << 16).create()) {
            q.put(new byte[] {1});
            try (ChildJvm worker = crashing("taskDone.published", "work", dir.toString(), "mark", "1", "0")) {
                worker.expect("ready", START);
                assertEquals(CrashPoint.EXIT_CODE, worker.waitFor(START));
            }
            long word = q.memory.getLongVolatile(HeaderLayout.BODY_OFFSET + QueueLayout.TASK_COUNTS);
            assertTrue(((word >>> 48) & 0xFF) != 0, "the dead worker's taskDone should be pending: " + Long.toHexString(word));
            List<ChildJvm> consumers = List.of(
                    ChildJvm.start(QueueChild.class, "consume", dir.toString(), "mark", "joinable", "false", "-"),
                    ChildJvm.start(QueueChild.class, "consume", dir.toString(), "mark", "joinable", "false", "-"));
            try {
                for (ChildJvm c : consumers) {
                    c.expect("ready", START);
                }
                for (int i = 0; i < tasks; i++) {
                    q.put(TestMessages.make(0, i, 16));
                }
                assertTrue(q.join(WAIT), "unfinished=" + q.unfinishedTasks());
                assertEquals(0, q.lostTasks());
                q.shutdown();
                int taken = 0;
                for (ChildJvm c : consumers) {
                    assertEquals(0, c.waitFor(WAIT));
                    String last = c.output().get(c.output().size() - 1);
                    taken += Integer.parseInt(last.substring("done ".length()));
                }
                assertEquals(tasks, taken);
            } finally {
                for (ChildJvm c : consumers) {
                    c.close();
                }
            }
            reclaimDead(q);
            assertEquals(0, q.lostTasks());
            assertEquals(0, q.unfinishedTasks());
        }
    }

    @Test
    void aProcessKilledWhileForgivingLostTasksLeavesJoinAbleToFinish() throws Exception {
        try (SharedJoinableQueue<String> q = create("fg")) {
            q.put("a");
            try (ChildJvm victim = ChildJvm.start(QueueChild.class, "take-keep", dir.toString(), "fg", "1")) {
                victim.expect("took 1", START);
                victim.kill();
            }
            try (ChildJvm forgiver = crashing("forgive.done", "forgive", dir.toString(), "fg")) {
                forgiver.expect("ready", START);
                assertEquals(CrashPoint.EXIT_CODE, forgiver.waitFor(WAIT), "the forgiver did not reach its crash point");
            }
            // Either the forgiving happened (join returns) or it did not (join reports the lost task): never a hang.
            try {
                assertTrue(q.join(HANG), "join hangs: unfinished=" + q.unfinishedTasks() + ", lost=" + q.lostTasks());
            } catch (LostTasksException e) {
                assertEquals(1, e.lostTasks());
            }
            long forgiven = q.joinIgnoringLost(HANG);
            assertTrue(forgiven == 0 || forgiven == 1, "forgiven=" + forgiven);
            assertTrue(q.join(Duration.ZERO));
            assertCountsStillWork(q);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"fold.published", "fold.zeroed"})
    void aReclaimerKilledMidwayCountsTheDeadConsumersTasksOnceWhenReRun(String point) throws Exception {
        try (SharedJoinableQueue<String> q = create("rc")) {
            q.put("a");
            q.put("b");
            try (ChildJvm victim = ChildJvm.start(QueueChild.class, "take-keep", dir.toString(), "rc", "2")) {
                victim.expect("took 2", START);
                victim.kill();
            }
            // Opening the queue reclaims the dead consumer's entry: this process dies in the middle of it.
            try (ChildJvm reclaimer = crashing(point, "open", dir.toString(), "rc", "joinable")) {
                assertEquals(CrashPoint.EXIT_CODE, reclaimer.waitFor(START), "the reclaimer did not reach " + point);
            }
            LostTasksException e = assertThrows(LostTasksException.class, () -> q.join(HANG));
            assertEquals(2, e.lostTasks(), "the re-run reclaim counted the dead consumer's tasks again");
            reclaimDead(q);
            assertEquals(2, q.lostTasks());
            assertEquals(2, q.joinIgnoringLost(HANG));
            assertTrue(q.join(Duration.ZERO));
            assertEquals(0, q.unfinishedTasks());
            assertCountsStillWork(q);
        }
    }

    /**
     * A message no consumer can decode is removed by the get that meets it and its task counts done; a consumer
     * killed while removing it leaves the task counted exactly once: still queued (before the head moved), or
     * held by the dead consumer and so lost (after).
     */
    @ParameterizedTest
    @ValueSource(strings = {"take.recorded", "discard.moved"})
    void aConsumerKilledWhileDiscardingAnUndeliverableMessageCountsItsTaskOnce(String point) throws Exception {
        try (SharedJoinableQueue<String> q = create("ud");
             SharedJoinableQueue<Integer> ints = SharedJoinableQueue.builder("ud", Codecs.unchecked(Codecs.int32())).directory(dir)
                     .open()) {
            q.put("x");
            try (ChildJvm consumer = crashing(point, "take-int", dir.toString(), "ud")) {
                consumer.expect("ready", START);
                assertEquals(CrashPoint.EXIT_CODE, consumer.waitFor(START), "the consumer did not reach " + point);
            }
            reclaimDead(q);
            if (point.equals("take.recorded")) {
                assertEquals(1, q.qsize(), "killed before the head moved: the message stays");
                assertThrows(RuntimeException.class, ints::poll, "the int32 codec cannot decode it");
                assertEquals(0, q.qsize());
                assertTrue(q.join(HANG), "unfinished=" + q.unfinishedTasks());
            } else {
                assertEquals(0, q.qsize());
                LostTasksException e = assertThrows(LostTasksException.class, () -> q.join(HANG));
                assertEquals(1, e.lostTasks());
                assertEquals(1, q.joinIgnoringLost(HANG));
            }
            assertEquals(0, q.unfinishedTasks());
            assertEquals(0, q.lostTasks());
            assertCountsStillWork(q);
        }
    }

    @Test
    void aCorruptPendingEntryInTheTaskWordIsAClearErrorAndWritesNothingElsewhere() throws Exception {
        try (SharedJoinableQueue<String> q = create("corrupt")) {
            q.put("a");
            assertEquals("a", q.take());
            int at = HeaderLayout.BODY_OFFSET + QueueLayout.TASK_COUNTS;
            long word = q.memory.getLongVolatile(at);
            q.memory.putLongVolatile(at, word | (200L << 48));
            // Where entry 199's done word would be: past the registry, inside another structure.
            int elsewhere = HeaderLayout.entryCounterOffset(199, QueueLayout.COUNTER_DONE);
            long before = q.memory.getLong(elsewhere);
            IllegalStateException e = assertThrows(IllegalStateException.class, q::taskDone);
            assertTrue(e.getMessage().contains("pending entry=199"), e.getMessage());
            assertEquals(before, q.memory.getLong(elsewhere));
            q.memory.putLongVolatile(at, word);
            q.taskDone();
            assertTrue(q.join(Duration.ZERO));
        }
    }

    /** Python lets any process call task_done for any task: the count is of the queue, not of the taker. */
    @Test
    void aTaskMarkedDoneByAnotherProcessThanItsTakerIsNotLostWhenTheTakerLeaves() throws Exception {
        try (SharedJoinableQueue<String> q = create("handoff")) {
            q.put("a");
            q.put("b");
            try (ChildJvm taker = ChildJvm.start(QueueChild.class, "take-keep", dir.toString(), "handoff", "1")) {
                taker.expect("took 1", START);
                // This process finishes the taker's task ("a"), then takes and finishes its own ("b").
                q.taskDone();
                assertEquals("b", q.take());
                q.taskDone();
                assertTrue(q.join(Duration.ZERO));
                taker.kill();
            }
            reclaimDead(q);
            assertEquals(0, q.lostTasks(), "the taker's task was done elsewhere, yet counted lost");
            assertTrue(q.join(HANG));
            // The reverse: a task taken here and finished by nobody is lost when another process leaves? No:
            // it is still held here, so join waits for it.
            q.put("c");
            assertEquals("c", q.take());
            try (ChildJvm other = ChildJvm.start(QueueChild.class, "open", dir.toString(), "handoff", "joinable")) {
                other.expect("ready", START);
                other.kill();
            }
            reclaimDead(q);
            assertEquals(1, q.unfinishedTasks());
            assertEquals(0, q.lostTasks());
            q.taskDone();
            assertTrue(q.join(Duration.ZERO));
            assertCountsStillWork(q);
        }
    }
}
