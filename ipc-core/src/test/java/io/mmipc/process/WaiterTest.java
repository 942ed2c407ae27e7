package io.mmipc.process;

import io.mmipc.codec.Codecs;
import io.mmipc.pipe.PipeConnection;
import io.mmipc.pipe.SharedPipe;
import io.mmipc.queue.SharedQueue;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link Waiter#waitAny} over a queue, a pipe and a process fed by child JVMs. */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WaiterTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("waiter");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestDirs.delete(dir);
    }

    @Test
    void returnsTheReadyObjectsAsChildrenMakeThemReady() throws Exception {
        try (SharedQueue<String> q = SharedQueue.builder("q", Codecs.string()).directory(dir).create();
             SharedPipe<String> pipe = SharedPipe.builder("p", Codecs.string()).directory(dir).create()) {
            PipeConnection<String> mine = pipe.first();
            PipeConnection<String> theirs = pipe.second();
            assertEquals(List.of(), Waiter.waitAny(Duration.ofMillis(50), q, mine));
            try (SharedProcess<Void> sender = SharedProcess.builder(() -> theirs.send("hi")).start()) {
                assertEquals(List.of(mine), Waiter.waitAny(WAIT, q, mine));
                assertEquals("hi", mine.recv());
                try (SharedProcess<Void> putter = SharedProcess.builder(() -> {
                    q.put("x");
                    Thread.sleep(600_000);
                }).start()) {
                    assertEquals(List.of(q), Waiter.waitAny(WAIT, q, mine, putter));
                    q.take();
                    putter.kill();
                    assertEquals(List.of(putter), Waiter.waitAny(WAIT, q, mine, putter));
                }
                sender.join();
            }
        }
    }

    @Test
    void refusesWhatItCannotWaitOn() {
        assertThrows(IllegalArgumentException.class, () -> Waiter.waitAny(Duration.ZERO, "a string"));
    }
}
