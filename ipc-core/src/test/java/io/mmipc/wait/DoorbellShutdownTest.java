package io.mmipc.wait;

import io.mmipc.WaitMode;
import io.mmipc.codec.Codecs;
import io.mmipc.queue.SharedQueue;
import io.mmipc.testing.ChildJvm;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM of a JVM whose thread sleeps on a doorbell in {@code take()} is a normal termination: it prints
 * nothing (the doorbells' shutdown hook used to close the selector under the sleeping thread, which then threw
 * {@code ClosedSelectorException} out of {@code take()}, 4 runs in 5).
 */
@Timeout(180)
class DoorbellShutdownTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int ROUNDS = 3;

    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("sigterm");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestDirs.delete(dir);
    }

    @Test
    void sigtermWhileBlockedInTakePrintsNothing() throws Exception {
        try (SharedQueue<String> q = SharedQueue.builder("q", Codecs.string()).directory(dir)
                .waitMode(WaitMode.DOORBELL).create(); WaitProbe probe = WaitProbe.of(q.path())) {
            for (int round = 0; round < ROUNDS; round++) {
                try (ChildJvm child = ChildJvm.launcher(WaitChild.class)
                        .args("drain", dir.toString(), WaitMode.DOORBELL.name(), "q", "1").captureStderr().start()) {
                    child.expect("ready", WAIT);
                    probe.awaitSleepers(WaitProbe.NOT_EMPTY, 1, WaitMode.DOORBELL, WAIT);
                    ProcessHandle.of(child.pid()).orElseThrow().destroy(); // SIGTERM
                    assertEquals(143, child.waitFor(WAIT), "exit status of a SIGTERM");
                    Thread.sleep(200); // let the stderr reader finish
                    assertEquals("", child.stderr(), "round " + round);
                    assertEquals(List.of("ready"), child.output(), "round " + round);
                }
                assertTrue(probe.sleepers(WaitProbe.NOT_EMPTY) <= 1);
            }
        }
    }
}
