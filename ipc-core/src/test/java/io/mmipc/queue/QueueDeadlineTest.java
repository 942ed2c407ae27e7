package io.mmipc.queue;

import io.mmipc.codec.Codecs;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Timeouts of every size: huge ones wait forever (never ArithmeticException), zero and negative do not wait. */
@Timeout(60)
class QueueDeadlineTest {
    private static final Duration HUGE = Duration.ofSeconds(Long.MAX_VALUE);

    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("deadline");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestDirs.delete(dir);
    }

    @Test
    void hugeTimeoutsSaturateToForever() throws Exception {
        try (SharedQueue<String> q = SharedQueue.builder("huge", Codecs.string()).directory(dir).create()) {
            q.put("a", HUGE);
            assertTrue(q.offer("b", Long.MAX_VALUE, TimeUnit.DAYS));
            assertTrue(q.offerBytes(ByteBuffer.wrap("c".getBytes()), HUGE));
            assertEquals("a", q.get(HUGE));
            assertEquals("b", q.poll(Long.MAX_VALUE, TimeUnit.DAYS));
            ByteBuffer dst = ByteBuffer.allocate(16);
            assertEquals(1, q.pollBytes(dst, HUGE));
            q.put("d");
            assertTrue(q.read(message -> { }, HUGE));
        }
    }

    @Test
    void hugeTimeoutWaitsForALaterPut() throws Exception {
        try (SharedQueue<String> q = SharedQueue.builder("later", Codecs.string()).directory(dir).create()) {
            Thread producer = new Thread(() -> {
                try {
                    Thread.sleep(200);
                    q.put("late");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            producer.start();
            assertEquals("late", q.get(HUGE));
            producer.join();
        }
    }

    @Test
    void zeroAndNegativeTimeoutsDoNotWait() throws Exception {
        try (SharedQueue<String> q = SharedQueue.builder("zero", Codecs.string()).directory(dir).maxSize(1)
                .create()) {
            assertThrows(QueueEmptyException.class, () -> q.get(Duration.ZERO));
            assertThrows(QueueEmptyException.class, () -> q.get(Duration.ofSeconds(-5)));
            assertThrows(QueueEmptyException.class, () -> q.get(Duration.ofSeconds(Long.MIN_VALUE)));
            assertNull(q.poll(0, TimeUnit.SECONDS));
            assertNull(q.poll(-1, TimeUnit.SECONDS));
            assertNull(q.poll(Long.MIN_VALUE, TimeUnit.DAYS));
            q.put("x", Duration.ZERO);
            assertThrows(QueueFullException.class, () -> q.put("y", Duration.ZERO));
            assertThrows(QueueFullException.class, () -> q.put("y", Duration.ofSeconds(Long.MIN_VALUE)));
            assertFalse(q.offer("y", -1, TimeUnit.SECONDS));
            assertEquals("x", q.get(Duration.ofSeconds(-1)));
        }
    }
}
