package io.mmipc.queue;

import io.mmipc.codec.Codecs;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class SharedQueueBasicTest {
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("basic");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestDirs.delete(dir);
    }

    private QueueBuilder<String, ? extends SharedQueue<String>> strings(String name) {
        return SharedQueue.builder(name, Codecs.string()).directory(dir);
    }

    @Test
    void putGetInOrderWithExactSize() throws Exception {
        try (SharedQueue<String> q = strings("q").create()) {
            assertTrue(q.empty());
            for (int i = 0; i < 1000; i++) {
                q.put("m" + i);
            }
            assertEquals(1000, q.qsize());
            assertEquals("m0", q.peek());
            for (int i = 0; i < 1000; i++) {
                assertEquals("m" + i, q.get());
            }
            assertTrue(q.empty());
            assertNull(q.poll());
            assertThrows(QueueEmptyException.class, q::getNowait);
        }
    }

    @Test
    void secondHandleSeesSameQueue() throws Exception {
        try (SharedQueue<String> a = strings("shared").create(); SharedQueue<String> b = strings("shared").open()) {
            a.put("hello");
            assertEquals(1, b.qsize());
            assertEquals("hello", b.take());
        }
    }

    @Test
    void maxSizeMakesItFull() throws Exception {
        try (SharedQueue<Integer> q = SharedQueue.builder("m", Codecs.int32()).directory(dir).maxSize(3).create()) {
            q.put(1);
            q.put(2);
            assertTrue(q.offer(3));
            assertTrue(q.full());
            assertEquals(0, q.remainingCapacity());
            assertFalse(q.offer(4));
            assertThrows(QueueFullException.class, () -> q.putNowait(4));
            assertThrows(IllegalStateException.class, () -> q.add(4));
            long t0 = System.nanoTime();
            assertFalse(q.offer(4, 50, TimeUnit.MILLISECONDS));
            assertTrue(System.nanoTime() - t0 >= 45_000_000L);
            assertThrows(QueueFullException.class, () -> q.put(4, Duration.ofMillis(20)));
            assertEquals(1, q.take());
            assertTrue(q.offer(4));
            assertEquals(List.of(2, 3, 4), drain(q));
        }
    }

    private static <T> List<T> drain(SharedQueue<T> q) {
        List<T> out = new ArrayList<>();
        q.drainTo(out);
        return out;
    }

    @Test
    void ringWrapsManyTimesWithMixedSizes() throws Exception {
        Random rnd = new Random(1);
        try (SharedQueue<byte[]> q = SharedQueue.builder("w", Codecs.bytes()).directory(dir).capacity(4096).create()) {
            for (int round = 0; round < 2000; round++) {
                int n = 1 + rnd.nextInt(4);
                List<byte[]> sent = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    byte[] b = new byte[rnd.nextInt(400)];
                    rnd.nextBytes(b);
                    if (!q.offer(b)) {
                        break;
                    }
                    sent.add(b);
                }
                for (byte[] b : sent) {
                    assertArrayEquals(b, q.poll());
                }
            }
            assertTrue(q.empty());
        }
    }

    @Test
    void messagesLargerThanTheRingGoThroughWhole() throws Exception {
        try (SharedQueue<byte[]> q = SharedQueue.builder("big", Codecs.bytes()).directory(dir).capacity(1 << 16).create()) {
            byte[] big = new byte[5 << 20];
            new Random(2).nextBytes(big);
            q.put(big);
            q.put(new byte[] {7});
            assertEquals(2, q.qsize());
            assertArrayEquals(big, q.take());
            assertArrayEquals(new byte[] {7}, q.take());
        }
    }

    @Test
    void bytePathCopiesStraightIntoBuffers() throws Exception {
        try (SharedQueue<byte[]> q = SharedQueue.builder("b", Codecs.bytes()).directory(dir).create()) {
            ByteBuffer src = ByteBuffer.allocateDirect(64);
            for (int i = 0; i < 64; i++) {
                src.put((byte) i);
            }
            src.flip();
            q.putBytes(src);
            assertEquals(0, src.remaining());
            ByteBuffer small = ByteBuffer.allocate(10);
            assertThrows(java.nio.BufferOverflowException.class, () -> q.takeBytes(small));
            assertEquals(1, q.qsize(), "a message that does not fit stays queued");
            ByteBuffer dst = ByteBuffer.allocate(100);
            dst.position(5);
            assertEquals(64, q.takeBytes(dst));
            assertEquals(69, dst.position());
            assertEquals(63, dst.get(68));
            assertEquals(-1, q.pollBytes(dst, Duration.ofMillis(5)));
        }
    }

    @Test
    void byteSendsMoveTheSourceOnlyWhenTheMessageWent() throws Exception {
        // putBytes/offerBytes copy straight from the caller's buffer (no duplicate): its position reaches the
        // limit when the message is in, and stays where it was when it is not; only position..limit is sent.
        try (SharedQueue<byte[]> q = SharedQueue.builder("mv", Codecs.bytes()).directory(dir).capacity(4096)
                .create()) {
            for (ByteBuffer src : List.of(ByteBuffer.allocate(600), ByteBuffer.allocateDirect(600))) {
                for (int i = 0; i < 600; i++) {
                    src.put(i, (byte) i);
                }
                src.position(7).limit(507);
                int sent = 0;
                while (q.offerBytes(src, Duration.ZERO)) {
                    assertEquals(507, src.position());
                    src.position(7);
                    sent++;
                }
                assertEquals(7, src.position(), "a message that did not go leaves the source as it was");
                assertEquals(507, src.limit());
                assertTrue(sent > 0);
                for (int i = 0; i < sent; i++) {
                    byte[] m = q.take();
                    assertEquals(500, m.length);
                    assertEquals((byte) 7, m[0]);
                    assertEquals((byte) 506, m[499]);
                }
                q.putBytes(src);
                assertEquals(507, src.position());
                assertEquals(500, q.take().length);
                // A send that throws leaves the source as it was too: an interrupt pending on a full queue...
                while (q.offerBytes(src, Duration.ZERO)) {
                    src.position(7);
                }
                Thread.currentThread().interrupt();
                assertThrows(InterruptedException.class, () -> q.putBytes(src));
                assertFalse(Thread.interrupted());
                assertEquals(7, src.position());
                q.clear(); // empty for the next buffer
            }
            // ...and a closed handle.
            ByteBuffer src = ByteBuffer.allocate(16);
            src.position(3);
            q.close();
            assertThrows(IllegalStateException.class, () -> q.putBytes(src));
            assertEquals(3, src.position());
        }
    }

    @Test
    void createExistingAndOpenMissingFailClearly() throws Exception {
        try (SharedQueue<String> q = strings("dup").create()) {
            assertThrows(FileAlreadyExistsException.class, () -> strings("dup").create());
        }
        assertThrows(NoSuchFileException.class, () -> strings("missing").open());
        try (SharedQueue<String> q = strings("oc").openOrCreate(); SharedQueue<String> r = strings("oc").openOrCreate()) {
            q.put("x");
            assertEquals("x", r.get());
        }
    }

    @Test
    void shutdownDrainsThenRefuses() throws Exception {
        try (SharedQueue<String> q = strings("s").create()) {
            q.put("a");
            q.shutdown();
            assertThrows(QueueShutdownException.class, () -> q.put("b"));
            assertEquals("a", q.get());
            assertThrows(QueueShutdownException.class, q::get);
            assertThrows(QueueShutdownException.class, () -> q.poll(1, TimeUnit.SECONDS));
        }
    }

    @Test
    void closedHandleIsAnError() throws Exception {
        SharedQueue<String> q = strings("c").create();
        q.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> q.put("x"));
        assertTrue(e.getMessage().contains("'c'"), e.getMessage());
    }
}
