package io.mmipc.wait;

import io.mmipc.WaitMode;
import io.mmipc.codec.Codecs;
import io.mmipc.queue.QueueShutdownException;
import io.mmipc.queue.SharedQueue;
import io.mmipc.testing.ChildJvm;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Wake-ups across processes, in every wait mode this JVM can use: a blocked call in one process wakes on
 * the state change made by another. The waker first waits until the waiter really sleeps (see
 * {@link WaitProbe#awaitSleepers}), and the round-trip times prove the wake-up is real: a lost one would
 * only be noticed at the next safety re-check, 10 ms (futex) to 100 ms (doorbell) later, so a median
 * round trip above 6 ms fails.
 */
@Timeout(120)
class CrossProcessWakeTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int ROUNDS = 30;
    /** A median round trip above this means wake-ups were missed and found by a periodic re-check. */
    private static final long MAX_MEDIAN_RTT_NANOS = 6_000_000L;

    private Path dir;

    static Stream<WaitMode> modes() {
        return WaitProbe.modes();
    }

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("wake");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestDirs.delete(dir);
    }

    private SharedQueue<String> create(String name, WaitMode mode, int maxSize) throws Exception {
        return SharedQueue.builder(name, Codecs.string()).directory(dir).waitMode(mode).maxSize(maxSize).create();
    }

    private ChildJvm child(String role, WaitMode mode, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of(role, dir.toString(), mode.name()));
        args.addAll(Arrays.asList(more));
        return ChildJvm.start(WaitChild.class, args.toArray(new String[0]));
    }

    @ParameterizedTest
    @MethodSource("modes")
    void getSleepingInChildWakesOnPutFromParent(WaitMode mode) throws Exception {
        try (SharedQueue<String> ping = create("ping", mode, 0); SharedQueue<String> pong = create("pong", mode, 0);
             WaitProbe probe = WaitProbe.of(ping.path());
             ChildJvm echo = child("echo", mode, String.valueOf(ROUNDS), "false")) {
            echo.expect("ready", WAIT);
            long[] rtt = new long[ROUNDS];
            for (int i = 0; i < ROUNDS; i++) {
                probe.awaitSleepers(WaitProbe.NOT_EMPTY, 1, mode, WAIT);
                if (WaitProbe.sleeps(mode)) {
                    // Both processes attached before "ready": AUTO has settled on futex or doorbell.
                    int expected = WaitProbe.usesDoorbell(mode) ? 1 : 0;
                    assertEquals(expected, probe.doorbellSlotsSettled(WaitProbe.NOT_EMPTY, expected, WAIT),
                            "doorbell registrations of the sleeping child, mode " + mode);
                }
                long t0 = System.nanoTime();
                ping.put("m" + i);
                String back = pong.poll(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                rtt[i] = System.nanoTime() - t0;
                assertEquals("m" + i, back, "round " + i);
            }
            echo.expect("done " + ROUNDS, WAIT);
            assertFast(mode, rtt);
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void getSleepingInParentWakesOnPutFromChild(WaitMode mode) throws Exception {
        try (SharedQueue<String> ping = create("ping", mode, 0); SharedQueue<String> pong = create("pong", mode, 0);
             ChildJvm echo = child("echo", mode, String.valueOf(ROUNDS), "true")) {
            echo.expect("ready", WAIT);
            long[] rtt = new long[ROUNDS];
            for (int i = 0; i < ROUNDS; i++) {
                long t0 = System.nanoTime();
                ping.put("m" + i);
                // The child answers only once this thread is asleep in pong.poll.
                String back = pong.poll(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                rtt[i] = System.nanoTime() - t0;
                assertEquals("m" + i, back, "round " + i);
            }
            echo.expect("done " + ROUNDS, WAIT);
            assertFast(mode, rtt);
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void putSleepingOnFullQueueInChildWakesOnGetFromParent(WaitMode mode) throws Exception {
        try (SharedQueue<String> q = create("full", mode, 1); WaitProbe probe = WaitProbe.of(q.path())) {
            q.put("first");
            try (ChildJvm producer = child("put", mode, "full", "second")) {
                producer.expect("ready", WAIT);
                probe.awaitSleepers(WaitProbe.NOT_FULL, 1, mode, WAIT);
                assertEquals("first", q.take());
                assertEquals("put", producer.readLine(WAIT));
                assertEquals("second", q.poll(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
                assertEquals(0, producer.waitFor(WAIT));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void shutdownWakesEveryBlockedGetterInEveryProcess(WaitMode mode) throws Exception {
        int children = 3;
        try (SharedQueue<String> q = create("jobs", mode, 0); WaitProbe probe = WaitProbe.of(q.path())) {
            List<ChildJvm> getters = new ArrayList<>();
            try {
                for (int i = 0; i < children; i++) {
                    getters.add(child("take", mode, "jobs"));
                }
                for (ChildJvm c : getters) {
                    c.expect("ready", WAIT);
                }
                probe.awaitSleepers(WaitProbe.NOT_EMPTY, children, mode, WAIT);
                long t0 = System.nanoTime();
                q.shutdown();
                for (ChildJvm c : getters) {
                    String line = c.readLine(WAIT);
                    assertTrue(line.startsWith(QueueShutdownException.class.getSimpleName() + ": "), line);
                    assertEquals(0, c.waitFor(WAIT));
                }
                long tookMillis = (System.nanoTime() - t0) / 1_000_000;
                // Each child still has to print and exit; a missed wake-up would add a re-check period each.
                assertTrue(tookMillis < 10_000, "shutdown took " + tookMillis + " ms to reach every getter");
            } finally {
                for (ChildJvm c : getters) {
                    c.close();
                }
            }
            if (WaitProbe.sleeps(mode)) {
                assertEquals(0, probe.sleepers(WaitProbe.NOT_EMPTY), "sleepers left behind");
                assertEquals(0, probe.usedSlots(), "waiter slots left behind");
            }
        }
    }

    private static void assertFast(WaitMode mode, long[] rtt) {
        long[] sorted = rtt.clone();
        Arrays.sort(sorted);
        long median = sorted[sorted.length / 2];
        System.out.printf("wake round trip, mode %s: median %d µs, p90 %d µs, max %d µs%n", mode, median / 1000,
                sorted[sorted.length * 9 / 10] / 1000, sorted[sorted.length - 1] / 1000);
        assertTrue(median < MAX_MEDIAN_RTT_NANOS, "median round trip in mode " + mode + " is " + median / 1000
                + " µs (a wake-up was missed and found by a re-check?); sorted µs="
                + Arrays.toString(Arrays.stream(sorted).map(n -> n / 1000).toArray()));
    }
}
