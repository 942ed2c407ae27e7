package io.mmipc.queue;

import io.mmipc.codec.Codecs;
import io.mmipc.internal.file.Registry;
import io.mmipc.internal.ring.CrashPoint;
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
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14: a producer killed holding a claim leaves the queue's counts exact, however the claim is found dead
 * and whatever its slot held before.
 *
 * <ul>
 *   <li>A claimer that dies before writing leaves the slot's old bytes where its record's flags go; when the
 *       slot was the middle of an earlier, longer record, those are payload bytes. Marking the claim dead used
 *       to or its "dead" bit into them, so a stale "removed" bit made the take that passed it skip its count:
 *       {@code qsize()} stayed one too high for good, and a joinable queue's {@code join} never settled (found
 *       by {@link KillSafetyTest}'s random round, seed 6039482617025).</li>
 *   <li>A claimer that dies between its claim and its tail advance, resolved by the registry's reclaim (an
 *       open, a join) before any take or put passed it, left a record the head could overtake the tail on.</li>
 * </ul>
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DeadClaimTest {
    private static final Duration START = Duration.ofSeconds(30);
    private static final int SLOT = 64;
    private static final int SLOTS = 16;

    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("deadclaim");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestDirs.delete(dir);
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "joinable"})
    void aDeadClaimOverAFormerRecordsPayloadIsCountedOnce(String kind) throws Exception {
        boolean joinable = kind.equals("joinable");
        QueueBuilder<byte[], ? extends SharedQueue<byte[]>> builder = joinable
                ? SharedJoinableQueue.builder("payload", Codecs.bytes())
                : SharedQueue.builder("payload", Codecs.bytes());
        try (SharedQueue<byte[]> q = builder.directory(dir).capacity(SLOTS * SLOT).slotSize(SLOT).create()) {
            // A three-slot record of all-ones bytes at positions 0..2: slots 1 and 2 now hold payload bytes where
            // a record's length and flags go (every flag bit set, "removed" included).
            byte[] ones = new byte[2 * SLOT + 20];
            Arrays.fill(ones, (byte) 0xFF);
            q.put(ones);
            assertArrayEquals(ones, q.take());
            done(q);
            // One-slot messages through positions 3..16, so the next claim lands at position 17: slot 1.
            for (int i = 0; i < SLOTS - 2; i++) {
                q.put(new byte[] {(byte) i});
                q.take();
                done(q);
            }
            try (ChildJvm claimer = ChildJvm.start(QueueChild.class, "claim", dir.toString(), "payload", kind)) {
                assertEquals("claimed " + (SLOTS + 1), claimer.readLine(START), "the claim must land on slot 1");
                assertEquals(1, q.qsize(), "a claim counts as a message being put");
                claimer.kill();
            }
            assertNull(q.poll(300, java.util.concurrent.TimeUnit.MILLISECONDS), "the dead claim is skipped and nothing else is queued");
            assertEquals(0, q.qsize(), "the skipped claim must leave no message counted");
            q.put(new byte[] {42});
            assertArrayEquals(new byte[] {42}, q.take());
            assertEquals(0, q.qsize());
            if (q instanceof SharedJoinableQueue) {
                SharedJoinableQueue<byte[]> j = (SharedJoinableQueue<byte[]>) q;
                j.taskDone();
                assertTrue(j.join(Duration.ofSeconds(5)), "join must settle: unfinished=" + j.unfinishedTasks());
                assertEquals(0, j.unfinishedTasks());
            }
        }
    }

    @Test
    void aClaimResolvedByTheReclaimBeforeTheTailMovedIsSkippedWithoutTheHeadOvertakingTheTail() throws Exception {
        try (SharedQueue<String> q = SharedQueue.builder("tail", Codecs.string()).directory(dir).create()) {
            q.put("before");
            assertEquals("before", q.take());
            try (ChildJvm putter = ChildJvm.start(List.of("-D" + CrashPoint.PROPERTY + "=claim.won"),
                    QueueChild.class, "put", dir.toString(), "tail", "plain", "lost")) {
                assertEquals("ready", putter.readLine(START));
                assertEquals(CrashPoint.EXIT_CODE, putter.waitFor(START), "the putter did not reach claim.won");
            }
            assertEquals(0, q.qsize(), "a claim whose tail advance never happened is not counted yet");
            // What an open or a join does: resolve the dead process's claims (here, the one at the tail).
            Registry.reclaimDead(q.memory, "queue", new QueueReclaimer(EventCount.resolve(null), q.path()));
            assertNull(q.poll(), "nothing acknowledged is queued");
            assertEquals(0, q.qsize());
            q.put("after");
            q.put("again");
            assertEquals("after", q.take());
            assertEquals("again", q.take());
            assertEquals(0, q.qsize());
            assertNull(q.poll());
        }
    }

    private static void done(SharedQueue<byte[]> q) {
        if (q instanceof SharedJoinableQueue) {
            ((SharedJoinableQueue<byte[]>) q).taskDone();
        }
    }
}
