package io.mmipc.wait;

import io.mmipc.WaitMode;
import io.mmipc.codec.Codecs;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A waiter killed with SIGKILL while asleep (announced, and registered in the waiter table if it sleeps on a
 * doorbell) must not hinder anyone: later puts and gets by other processes complete promptly.
 */
@Timeout(120)
class KilledWaiterTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int MESSAGES = 300;

    private Path dir;

    static Stream<WaitMode> modes() {
        return WaitProbe.modes();
    }

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("killed");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestDirs.delete(dir);
    }

    private SharedQueue<String> create(WaitMode mode, int maxSize) throws Exception {
        return SharedQueue.builder("q", Codecs.string()).directory(dir).waitMode(mode).maxSize(maxSize).create();
    }

    private ChildJvm child(String role, WaitMode mode, String... more) throws Exception {
        String[] args = new String[3 + more.length];
        args[0] = role;
        args[1] = dir.toString();
        args[2] = mode.name();
        System.arraycopy(more, 0, args, 3, more.length);
        return ChildJvm.start(WaitChild.class, args);
    }

    @ParameterizedTest
    @MethodSource("modes")
    void consumerKilledWhileAsleepHindersNeitherProducersNorOtherConsumers(WaitMode mode) throws Exception {
        try (SharedQueue<String> q = create(mode, 4); WaitProbe probe = WaitProbe.of(q.path());
             ChildJvm victim = child("take", mode, "q")) {
            victim.expect("ready", WAIT);
            probe.awaitSleepers(WaitProbe.NOT_EMPTY, 1, mode, WAIT);
            victim.kill();
            try (ChildJvm consumer = child("drain", mode, "q", String.valueOf(MESSAGES))) {
                consumer.expect("ready", WAIT);
                long t0 = System.nanoTime();
                for (int i = 0; i < MESSAGES; i++) {
                    // maxSize 4: this producer sleeps on full and the live consumer wakes it, over and over.
                    assertTrue(q.offer("m" + i, WAIT.toMillis(), TimeUnit.MILLISECONDS), "put " + i);
                }
                consumer.expect("done " + MESSAGES, WAIT);
                assertPrompt(mode, t0);
                assertEquals(0, consumer.waitFor(WAIT));
            }
            // And this process can still get what it puts.
            q.put("last");
            assertEquals("last", q.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            // The dead sleeper's count is given back by a later signal, so signals stop paying syscalls.
            assertHealed(q, probe, mode);
        }
    }

    private static void assertHealed(SharedQueue<String> q, WaitProbe probe, WaitMode mode) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (probe.sleepers(WaitProbe.NOT_EMPTY) != 0) {
            assertTrue(System.nanoTime() < deadline, "mode " + mode + ": the dead sleeper is still counted: "
                    + probe.sleepers(WaitProbe.NOT_EMPTY));
            Thread.sleep(150);
            q.put("signal");
            q.take();
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void producerKilledWhileAsleepOnFullQueueHindersNobody(WaitMode mode) throws Exception {
        try (SharedQueue<String> q = create(mode, 1); WaitProbe probe = WaitProbe.of(q.path())) {
            q.put("first");
            try (ChildJvm victim = child("put", mode, "q", "never")) {
                victim.expect("ready", WAIT);
                probe.awaitSleepers(WaitProbe.NOT_FULL, 1, mode, WAIT);
                victim.kill();
            }
            assertEquals("first", q.take());
            try (ChildJvm producer = child("fill", mode, "q", String.valueOf(MESSAGES))) {
                producer.expect("ready", WAIT);
                long t0 = System.nanoTime();
                for (int i = 0; i < MESSAGES; i++) {
                    String m = q.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    assertNotNull(m, "get " + i);
                    assertEquals("f" + i, m);
                }
                producer.expect("done " + MESSAGES, WAIT);
                assertPrompt(mode, t0);
                assertEquals(0, producer.waitFor(WAIT));
            }
        }
    }

    private static void assertPrompt(WaitMode mode, long t0) {
        long tookMillis = (System.nanoTime() - t0) / 1_000_000;
        // 300 hand-offs through a 1-4 message queue: well under a second when every wake-up works; a
        // wake-up lost to the dead waiter would cost a re-check period (10-100 ms) each time.
        assertTrue(tookMillis < 5_000, "mode " + mode + ": " + MESSAGES + " messages took " + tookMillis + " ms");
    }
}
