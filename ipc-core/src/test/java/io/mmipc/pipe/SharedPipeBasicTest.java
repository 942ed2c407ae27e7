package io.mmipc.pipe;

import io.mmipc.ObjectFileException;
import io.mmipc.codec.Codecs;
import io.mmipc.queue.SharedQueue;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class SharedPipeBasicTest {
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("pipe");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestDirs.delete(dir);
    }

    private PipeBuilder<String> strings(String name) {
        return SharedPipe.builder(name, Codecs.string()).directory(dir);
    }

    private PipeBuilder<byte[]> bytes(String name) {
        return SharedPipe.builder(name, Codecs.bytes()).directory(dir);
    }

    @Test
    void duplexCarriesBothWaysInOrder() throws Exception {
        try (SharedPipe<String> p = strings("d").create()) {
            assertTrue(p.isDuplex());
            for (int i = 0; i < 500; i++) {
                p.first().send("a" + i);
                p.second().send("b" + i);
            }
            for (int i = 0; i < 500; i++) {
                assertEquals("a" + i, p.second().recv());
                assertEquals("b" + i, p.first().recv());
            }
            assertFalse(p.first().poll());
            assertFalse(p.second().poll());
        }
    }

    @Test
    void simplexEndsRefuseTheWrongDirection() throws Exception {
        try (SharedPipe<String> p = strings("s").duplex(false).create()) {
            PipeConnection<String> r = p.first();
            PipeConnection<String> w = p.second();
            assertTrue(r.isReadable());
            assertFalse(r.isWritable());
            assertTrue(w.isWritable());
            assertFalse(w.isReadable());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.send("x"));
            assertTrue(e.getMessage().contains("receive-only"), e.getMessage());
            e = assertThrows(IllegalStateException.class, w::recv);
            assertTrue(e.getMessage().contains("send-only"), e.getMessage());
            assertThrows(IllegalStateException.class, w::poll);
            assertThrows(IllegalStateException.class, () -> r.sendBytes(new byte[1]));
            w.send("one way");
            assertEquals("one way", r.recv());
        }
    }

    @Test
    void recvBytesIntoHonoursOffsetsAndKeepsMessagesThatDoNotFit() throws Exception {
        try (SharedPipe<byte[]> p = bytes("into").create()) {
            byte[] msg = new byte[100];
            for (int i = 0; i < msg.length; i++) {
                msg[i] = (byte) i;
            }
            p.first().sendBytes(msg, 10, 50);
            byte[] buf = new byte[60];
            Arrays.fill(buf, (byte) -1);
            BufferTooShortException e = assertThrows(BufferTooShortException.class,
                    () -> p.second().recvBytesInto(buf, 20));
            assertEquals(50, e.messageLength());
            assertEquals(40, e.available());
            assertEquals(-1, buf[20], "a buffer that is too short is untouched");
            assertTrue(p.second().poll(), "the message stays readable");
            assertThrows(BufferTooShortException.class, () -> p.second().recvBytes(49));
            assertThrows(IndexOutOfBoundsException.class, () -> p.second().recvBytesInto(buf, 61));
            assertEquals(50, p.second().recvBytesInto(buf, 10));
            assertEquals(-1, buf[9]);
            assertEquals(10, buf[10]);
            assertEquals(59, buf[59]);

            p.first().sendBytes(new byte[0]);
            assertEquals(0, p.second().recvBytesInto(buf, 60), "an empty message fits at the very end");

            ByteBuffer src = ByteBuffer.allocateDirect(64);
            for (int i = 0; i < 64; i++) {
                src.put((byte) (i * 3));
            }
            src.flip();
            p.second().sendBytes(src);
            assertEquals(0, src.remaining());
            ByteBuffer small = ByteBuffer.allocateDirect(63);
            assertThrows(BufferTooShortException.class, () -> p.first().recvBytesInto(small));
            assertEquals(0, small.position());
            ByteBuffer dst = ByteBuffer.allocateDirect(100).position(7);
            assertEquals(64, p.first().recvBytesInto(dst));
            assertEquals(71, dst.position());
            assertEquals((byte) (63 * 3), dst.get(70));

            p.first().sendBytes(msg);
            assertArrayEquals(msg, p.second().recvBytes(100));
            p.first().send(msg);
            assertArrayEquals(msg, p.second().recvBytes());
        }
    }

    @Test
    void pollWaitsForItsTimeoutThenSeesMessages() throws Exception {
        try (SharedPipe<String> p = strings("poll").create()) {
            assertFalse(p.second().poll());
            long t0 = System.nanoTime();
            assertFalse(p.second().poll(Duration.ofMillis(100)));
            long waited = System.nanoTime() - t0;
            assertTrue(waited >= 95_000_000L, "waited " + waited);
            assertFalse(p.second().poll(Duration.ZERO));
            p.first().send("x");
            assertTrue(p.second().poll());
            assertTrue(p.second().poll(Duration.ofSeconds(1)), "poll takes nothing");
            assertEquals("x", p.second().recv());
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<?> later = pool.submit(() -> {
                    Thread.sleep(50);
                    p.first().send("late");
                    return null;
                });
                assertTrue(p.second().poll(Duration.ofSeconds(10)));
                later.get();
                assertTrue(p.second().poll(null), "poll(null) waits forever, here not at all");
                assertEquals("late", p.second().recv());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void closingTheOtherEndGivesEndOfFileAfterTheData() throws Exception {
        try (SharedPipe<String> p = strings("eof").create()) {
            p.second().send("last words");
            p.second().close();
            assertTrue(p.first().poll());
            assertEquals("last words", p.first().recv());
            assertTrue(p.first().poll(), "end-of-file is readable");
            assertThrows(EOFException.class, p.first()::recv);
            assertThrows(EOFException.class, p.first()::recvBytes);
            assertThrows(EOFException.class, () -> p.first().recvBytesInto(new byte[4]));
            BrokenPipeException e = assertThrows(BrokenPipeException.class, () -> p.first().send("anyone?"));
            assertTrue(e.getMessage().contains("'eof'"), e.getMessage());
        }
    }

    @Test
    void closeWakesABlockedReaderWithEndOfFile() throws Exception {
        try (SharedPipe<String> p = strings("wake").create()) {
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<Object> reader = pool.submit(() -> {
                    try {
                        return p.first().recv();
                    } catch (EOFException e) {
                        return e;
                    }
                });
                Thread.sleep(100);
                long t0 = System.nanoTime();
                p.second().close();
                assertTrue(reader.get(5, TimeUnit.SECONDS) instanceof EOFException);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(ms < 1000, "woke after " + ms + " ms");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void writerBlockedOnAFullPipeFailsWhenTheReaderLeaves() throws Exception {
        try (SharedPipe<byte[]> p = bytes("full").capacity(1024).create()) {
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<Integer> writer = pool.submit(() -> {
                    int sent = 0;
                    try {
                        while (true) {
                            p.first().sendBytes(new byte[100]);
                            sent++;
                        }
                    } catch (BrokenPipeException e) {
                        return sent;
                    }
                });
                Thread.sleep(200);
                assertFalse(writer.isDone(), "the writer waits while the pipe is full");
                p.second().close();
                int sent = writer.get(5, TimeUnit.SECONDS);
                assertTrue(sent > 0 && sent < 20, "sent=" + sent);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void messagesLargerThanTheRingGoBothWaysWhole() throws Exception {
        try (SharedPipe<byte[]> p = bytes("big").capacity(4096).create()) {
            assertEquals(2048 - 8, p.first().maxInlineMessage());
            Random rnd = new Random(3);
            byte[] a = new byte[3 << 20];
            byte[] b = new byte[100_000];
            rnd.nextBytes(a);
            rnd.nextBytes(b);
            p.first().send(a);
            p.second().send(b);
            p.first().send(new byte[] {1});
            assertArrayEquals(b, p.first().recv());
            BufferTooShortException e = assertThrows(BufferTooShortException.class,
                    () -> p.second().recvBytesInto(new byte[10]));
            assertEquals(a.length, e.messageLength());
            byte[] into = new byte[a.length + 1];
            assertEquals(a.length, p.second().recvBytesInto(into, 1));
            assertArrayEquals(a, Arrays.copyOfRange(into, 1, into.length));
            assertArrayEquals(new byte[] {1}, p.second().recv());
            try (var files = Files.list(dir)) {
                assertEquals(1, files.filter(f -> !f.getFileName().toString().equals(".nodes")).count(),
                        "spill files are removed once read");
            }
        }
    }

    @Test
    void ringWrapsManyTimesWithMixedSizes() throws Exception {
        Random rnd = new Random(1);
        try (SharedPipe<byte[]> p = bytes("wrap").capacity(4096).create()) {
            for (int round = 0; round < 3000; round++) {
                byte[] m = new byte[rnd.nextInt(1500)];
                rnd.nextBytes(m);
                p.second().sendBytes(m);
                assertArrayEquals(m, p.first().recvBytes());
            }
        }
    }

    @Test
    void createdWithOneEndWaitsForThePeerInsteadOfEndOfFile() throws Exception {
        try (PipeConnection<String> a = strings("late").create(PipeEnd.FIRST)) {
            assertFalse(a.poll(Duration.ofMillis(50)), "an end never opened is awaited, not closed");
            a.send("queued before the peer connects");
            try (PipeConnection<String> b = strings("late").open(PipeEnd.SECOND)) {
                assertEquals("queued before the peer connects", b.recv());
                b.send("hi");
            }
            assertEquals("hi", a.recv());
            assertThrows(EOFException.class, a::recv);
            try (PipeConnection<String> again = strings("late").openOrCreate(PipeEnd.SECOND)) {
                again.send("back");
                assertEquals("back", a.recv(), "reopening the other end makes the pipe carry again");
            }
            a.unlink();
        }
        assertThrows(NoSuchFileException.class, () -> strings("late").open(PipeEnd.FIRST));
    }

    @Test
    void severalReceiverThreadsEachGetDistinctMessages() throws Exception {
        int n = 4000;
        try (SharedPipe<Integer> p = SharedPipe.builder("mr", Codecs.int32()).directory(dir).create()) {
            AtomicIntegerArray seen = new AtomicIntegerArray(n);
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                Future<?>[] readers = new Future<?>[3];
                for (int t = 0; t < readers.length; t++) {
                    readers[t] = pool.submit(() -> {
                        try {
                            while (true) {
                                seen.incrementAndGet(p.second().recv());
                            }
                        } catch (EOFException end) {
                            return null;
                        }
                    });
                }
                for (int i = 0; i < n; i++) {
                    p.first().send(i);
                }
                p.first().close();
                for (Future<?> r : readers) {
                    r.get(30, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            for (int i = 0; i < n; i++) {
                assertEquals(1, seen.get(i), "message " + i);
            }
        }
    }

    @Test
    void openValidatesNameTypeAndParameters() throws Exception {
        try (SharedPipe<String> p = strings("v").duplex(false).capacity(8192).create()) {
            assertThrows(FileAlreadyExistsException.class, () -> strings("v").create());
            assertThrows(ObjectFileException.class, () -> strings("v").duplex(true).open(PipeEnd.FIRST));
            assertThrows(ObjectFileException.class, () -> strings("v").capacity(4096).open(PipeEnd.FIRST));
            try (PipeConnection<String> w = strings("v").duplex(false).capacity(8192).open(PipeEnd.SECOND)) {
                assertTrue(w.isWritable());
                assertFalse(w.isReadable());
            }
        }
        assertThrows(NoSuchFileException.class, () -> strings("nothing").open(PipeEnd.FIRST));
        try (SharedQueue<String> q = SharedQueue.builder("aqueue", Codecs.string()).directory(dir).create()) {
            ObjectFileException e = assertThrows(ObjectFileException.class, () -> strings("aqueue").open(PipeEnd.FIRST));
            assertTrue(e.getMessage().contains("wrong object type"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> strings("x").capacity(100));
        assertThrows(IllegalArgumentException.class, () -> strings("bad/name"));
    }

    @Test
    void aClosedConnectionIsAnError() throws Exception {
        SharedPipe<String> p = strings("c").create();
        p.first().close();
        p.first().close();
        assertTrue(p.first().isClosed());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.first().send("x"));
        assertTrue(e.getMessage().contains("'c' end FIRST is closed"), e.getMessage());
        assertThrows(IllegalStateException.class, p.first()::recv);
        assertThrows(EOFException.class, p.second()::recv);
        p.close();
        assertThrows(IllegalStateException.class, p.second()::recv);
    }

    @Test
    void aCodecErrorConsumesTheBadMessage() throws Exception {
        try (SharedPipe<Integer> p = SharedPipe.builder("codec", Codecs.int32()).directory(dir).create()) {
            p.first().sendBytes(new byte[] {1, 2});
            p.first().send(42);
            assertThrows(RuntimeException.class, p.second()::recv);
            assertEquals(42, p.second().recv());
        }
    }
}
