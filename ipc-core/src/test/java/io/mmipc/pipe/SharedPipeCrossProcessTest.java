package io.mmipc.pipe;

import io.mmipc.codec.Codecs;
import io.mmipc.testing.ChildJvm;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Pipes between this JVM and child JVMs: each child is a nested class's {@code main}. */
@Timeout(90)
class SharedPipeCrossProcessTest {
    private static final Duration START = Duration.ofSeconds(30);
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("pipe-x");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestDirs.delete(dir);
    }

    private static PipeBuilder<String> strings(Path dir, String name) {
        return SharedPipe.builder(name, Codecs.string()).directory(dir);
    }

    private static PipeBuilder<byte[]> bytes(Path dir, String name) {
        return SharedPipe.builder(name, Codecs.bytes()).directory(dir);
    }

    /** Runs a child's body; any failure is printed and exits 1, so the parent sees it. */
    private interface Body {
        void run() throws Exception;
    }

    private static void child(Body body) {
        try {
            body.run();
            System.out.flush();
            System.exit(0);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
    }

    // ------------------------------------------------------------------ ping-pong on a duplex pipe

    /** Answers pings, then on "serve n" pings the parent n times; exits on end-of-file. */
    public static final class Echo {
        public static void main(String[] args) {
            child(() -> {
                try (PipeConnection<String> conn = strings(Path.of(args[0]), args[1]).open(PipeEnd.SECOND)) {
                    System.out.println("ready");
                    while (true) {
                        String m;
                        try {
                            m = conn.recv();
                        } catch (EOFException e) {
                            System.out.println("eof");
                            return;
                        }
                        if (m.startsWith("ping")) {
                            conn.send("pong" + m.substring(4));
                        } else if (m.startsWith("serve ")) {
                            int n = Integer.parseInt(m.substring(6));
                            for (int i = 0; i < n; i++) {
                                conn.send("ping" + i);
                                String reply = conn.recv();
                                if (!reply.equals("pong" + i)) {
                                    throw new AssertionError("expected pong" + i + ", got " + reply);
                                }
                            }
                            System.out.println("served");
                        }
                    }
                }
            });
        }
    }

    @Test
    void pingPongBothWaysOnADuplexPipe() throws Exception {
        int rounds = 2000;
        try (PipeConnection<String> conn = strings(dir, "pp").create(PipeEnd.FIRST);
             ChildJvm echo = ChildJvm.start(Echo.class, dir.toString(), "pp")) {
            echo.expect("ready", START);
            long t0 = System.nanoTime();
            for (int i = 0; i < rounds; i++) {
                conn.send("ping" + i);
                assertEquals("pong" + i, conn.recv());
            }
            long parentPings = System.nanoTime() - t0;
            conn.send("serve " + rounds);
            for (int i = 0; i < rounds; i++) {
                assertEquals("ping" + i, conn.recv());
                conn.send("pong" + i);
            }
            echo.expect("served", START);
            System.out.printf("pipe ping-pong (cold JVMs, not a benchmark): %d round trips, mean %.1f us%n", rounds,
                    parentPings / 1e3 / rounds);
            conn.close();
            echo.expect("eof", START);
            assertEquals(0, echo.waitFor(START));
        }
    }

    // ------------------------------------------------------------------ simplex stream ending in EOF

    /** Sends {@code count} numbered messages of varied sizes (some spilled), then exits. */
    public static final class Producer {
        public static void main(String[] args) {
            child(() -> {
                int count = Integer.parseInt(args[2]);
                try (PipeConnection<byte[]> w = bytes(Path.of(args[0]), args[1]).open(PipeEnd.SECOND)) {
                    for (int i = 0; i < count; i++) {
                        w.sendBytes(message(0, i));
                    }
                }
            });
        }
    }

    /** Message {@code seq} of writer {@code id}: id, seq, length-dependent pattern, CRC of the rest. */
    static byte[] message(int id, int seq) {
        int size = 16 + (seq % 97 == 0 ? 40_000 + seq % 1000 : (seq * 31) % 700);
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(id).putInt(seq);
        for (int i = 8; i < size - 8; i++) {
            b.put((byte) (i * 7 + seq));
        }
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, size - 8);
        b.putLong(crc.getValue());
        return b.array();
    }

    /** Checks a message's CRC and returns {id, seq}. */
    static int[] check(byte[] m) {
        CRC32 crc = new CRC32();
        crc.update(m, 0, m.length - 8);
        ByteBuffer b = ByteBuffer.wrap(m);
        assertEquals(crc.getValue(), b.getLong(m.length - 8), "message intact");
        return new int[] {b.getInt(0), b.getInt(4)};
    }

    @Test
    void simplexStreamFromAnotherProcessEndsInEndOfFile() throws Exception {
        int count = 5000;
        try (PipeConnection<byte[]> r = bytes(dir, "stream").duplex(false).capacity(64 << 10).create(PipeEnd.FIRST);
             ChildJvm producer = ChildJvm.start(Producer.class, dir.toString(), "stream", String.valueOf(count))) {
            assertFalse(r.isWritable());
            byte[] buf = new byte[64 << 10];
            for (int i = 0; i < count; i++) {
                int n = r.recvBytesInto(buf, 0);
                byte[] m = java.util.Arrays.copyOf(buf, n);
                int[] idSeq = check(m);
                assertEquals(i, idSeq[1], "in order");
            }
            assertThrows(EOFException.class, r::recv);
            assertTrue(r.poll(), "end-of-file stays readable");
            assertEquals(0, producer.waitFor(START));
        }
    }

    // ------------------------------------------------------------------ SIGKILLed writer

    /** Sends increasing numbers forever, blocking whenever the pipe is full. */
    public static final class Streamer {
        public static void main(String[] args) {
            child(() -> {
                try (PipeConnection<Integer> w = SharedPipe.builder(args[1], Codecs.int32())
                        .directory(Path.of(args[0])).open(PipeEnd.SECOND)) {
                    System.out.println("ready");
                    for (int i = 0; ; i++) {
                        w.send(i);
                    }
                }
            });
        }
    }

    @Test
    void endOfFileWhenTheWriterIsKilled() throws Exception {
        try (PipeConnection<Integer> r = SharedPipe.builder("killed", Codecs.int32()).directory(dir).duplex(false)
                .capacity(4096).create(PipeEnd.FIRST);
             ChildJvm streamer = ChildJvm.start(Streamer.class, dir.toString(), "killed")) {
            int expected = 0;
            for (; expected < 20_000; expected++) {
                assertEquals(expected, r.recv());
            }
            long killed = System.nanoTime();
            streamer.kill();
            try {
                while (true) {
                    assertEquals(expected++, r.recv(), "no gap, no duplicate, after the kill too");
                }
            } catch (EOFException e) {
                long ms = (System.nanoTime() - killed) / 1_000_000;
                System.out.println("pipe EOF after SIGKILL of the writer: " + ms + " ms");
                assertTrue(ms < 2000, "EOF took " + ms + " ms");
            }
        }
    }

    // ------------------------------------------------------------------ several writer processes on one end

    /** Opens the send end, says so, waits for the go file, then sends {@code count} messages. */
    public static final class Writer {
        public static void main(String[] args) {
            child(() -> {
                Path d = Path.of(args[0]);
                int id = Integer.parseInt(args[2]);
                int count = Integer.parseInt(args[3]);
                try (PipeConnection<byte[]> w = bytes(d, args[1]).open(PipeEnd.SECOND)) {
                    System.out.println("opened");
                    while (!Files.exists(d.resolve("go"))) {
                        Thread.sleep(5);
                    }
                    for (int i = 0; i < count; i++) {
                        w.sendBytes(message(id, i));
                    }
                }
            });
        }
    }

    @Test
    void severalWriterProcessesOnOneEndKeepEveryMessageIntact() throws Exception {
        int writers = 3;
        int count = 3000;
        List<ChildJvm> children = new ArrayList<>();
        try (SharedPipe<byte[]> pipe = bytes(dir, "many").duplex(false).capacity(16 << 10).create()) {
            for (int id = 0; id < writers; id++) {
                children.add(ChildJvm.start(Writer.class, dir.toString(), "many", String.valueOf(id),
                        String.valueOf(count)));
            }
            for (ChildJvm c : children) {
                c.expect("opened", START);
            }
            // Every writer holds the send end now: this process's copy can go, and EOF will mean "all done".
            pipe.second().close();
            Files.createFile(dir.resolve("go"));
            int[] next = new int[writers];
            int total = 0;
            try {
                while (true) {
                    int[] idSeq = check(pipe.first().recvBytes());
                    assertEquals(next[idSeq[0]]++, idSeq[1], "per-writer order, writer " + idSeq[0]);
                    total++;
                }
            } catch (EOFException e) {
                // all writers closed
            }
            assertEquals(writers * count, total);
            for (int id = 0; id < writers; id++) {
                assertEquals(count, next[id]);
                assertEquals(0, children.get(id).waitFor(START));
            }
        } finally {
            for (ChildJvm c : children) {
                c.close();
            }
        }
    }

    // ------------------------------------------------------------------ SIGKILLed reader

    /** Receives ten messages, says so, then hangs until killed. */
    public static final class SlowReader {
        public static void main(String[] args) {
            child(() -> {
                try (PipeConnection<byte[]> r = bytes(Path.of(args[0]), args[1]).open(PipeEnd.FIRST)) {
                    for (int i = 0; i < 10; i++) {
                        r.recvBytes();
                    }
                    System.out.println("got10");
                    Thread.sleep(Long.MAX_VALUE);
                }
            });
        }
    }

    @Test
    void sendingToAKilledReaderFailsWithBrokenPipe() throws Exception {
        try (PipeConnection<byte[]> w = bytes(dir, "deaf").duplex(false).capacity(4096).create(PipeEnd.SECOND);
             ChildJvm reader = ChildJvm.start(SlowReader.class, dir.toString(), "deaf")) {
            for (int i = 0; i < 10; i++) {
                w.sendBytes(new byte[100]);
            }
            reader.expect("got10", START);
            long killed = System.nanoTime();
            reader.kill();
            int sent = 0;
            try {
                while (true) {
                    w.sendBytes(new byte[100]);
                    sent++;
                    if (sent > 1000) {
                        fail("sent " + sent + " messages to a dead reader");
                    }
                }
            } catch (BrokenPipeException e) {
                long ms = (System.nanoTime() - killed) / 1_000_000;
                System.out.println("pipe BrokenPipe after SIGKILL of the reader: " + ms + " ms");
                assertTrue(ms < 2000, "took " + ms + " ms");
            }
        }
    }

    // ------------------------------------------------------------------ poll with timeouts

    /** Says ready, sends "hello" after a delay, waits for "bye", then exits. */
    public static final class DelayedSender {
        public static void main(String[] args) {
            child(() -> {
                try (PipeConnection<String> c = strings(Path.of(args[0]), args[1]).open(PipeEnd.SECOND)) {
                    System.out.println("ready");
                    Thread.sleep(Long.parseLong(args[2]));
                    c.send("hello");
                    if (!c.recv().equals("bye")) {
                        throw new AssertionError("expected bye");
                    }
                }
            });
        }
    }

    @Test
    void pollWithTimeoutsAcrossProcesses() throws Exception {
        try (PipeConnection<String> c = strings(dir, "poll").create(PipeEnd.FIRST);
             ChildJvm sender = ChildJvm.start(DelayedSender.class, dir.toString(), "poll", "300")) {
            sender.expect("ready", START);
            long t0 = System.nanoTime();
            assertFalse(c.poll(Duration.ofMillis(50)));
            long waited = System.nanoTime() - t0;
            assertTrue(waited >= 45_000_000L, "poll returned after " + waited + " ns");
            assertTrue(c.poll(Duration.ofSeconds(20)), "the message arrives within the timeout");
            assertEquals("hello", c.recv());
            assertFalse(c.poll(Duration.ofMillis(20)));
            c.send("bye");
            assertTrue(c.poll(Duration.ofSeconds(20)), "the sender's exit makes end-of-file readable");
            assertThrows(EOFException.class, c::recv);
            assertEquals(0, sender.waitFor(START));
        }
    }
}
