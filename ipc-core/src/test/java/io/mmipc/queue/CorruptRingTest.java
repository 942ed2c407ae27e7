package io.mmipc.queue;

import io.mmipc.ObjectFileException;
import io.mmipc.codec.Codecs;
import io.mmipc.internal.file.HeaderLayout;
import io.mmipc.internal.pipe.PipeLayout;
import io.mmipc.internal.ring.QueueLayout;
import io.mmipc.pipe.SharedPipe;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14 item 7 (ring, queue and pipe parts): bytes written into a live queue file through a second channel.
 * A corrupt record becomes an ObjectFileException naming the file and the field, and is removed by the get
 * that meets it, so the queue is not stuck behind it; a timed put keeps its deadline whatever the control
 * words say; a shutdown word holding none of the defined states does not read as "shut down".
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CorruptRingTest {
    private static final int BODY = HeaderLayout.BODY_OFFSET;
    private static final long SLOTS = 16;
    private static final int SLOT_SIZE = 64;

    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("corrupt-ring");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestDirs.delete(dir);
    }

    private SharedQueue<String> queue(String name) throws IOException {
        return SharedQueue.builder(name, Codecs.string()).directory(dir).capacity(SLOTS * SLOT_SIZE)
                .slotSize(SLOT_SIZE).create();
    }

    private static void write(Path file, long offset, long value, int bytes) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(bytes).order(ByteOrder.nativeOrder());
        if (bytes == 8) {
            b.putLong(0, value);
        } else {
            b.putInt(0, (int) value);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(b, offset);
        }
    }

    private static long control(long seq, int state, int span) {
        return (seq << 24) | ((long) state << 22) | span;
    }

    private static ObjectFileException assertCorrupt(Executable call, String field, Path file) {
        UncheckedIOException e = assertThrows(UncheckedIOException.class, call);
        ObjectFileException cause = assertInstanceOf(ObjectFileException.class, e.getCause());
        assertTrue(cause.getMessage().contains(field), cause.getMessage());
        assertEquals(file, cause.file());
        return cause;
    }

    @Test
    void shutdownWordOutsideTheDefinedStatesIsCorruptNotShutDown() throws Exception {
        try (SharedQueue<String> q = queue("shutdown")) {
            write(q.path(), BODY + QueueLayout.SHUTDOWN, 0x7777, 4);
            assertCorrupt(() -> q.put("x"), "shutdown state=30583", q.path());
            assertCorrupt(() -> q.get(Duration.ofSeconds(1)), "shutdown state", q.path());
            assertCorrupt(q::isShutdown, "shutdown state", q.path());
        }
    }

    @Test
    void timedPutKeepsItsDeadlineOnACorruptControlWordAtTheTail() throws Exception {
        try (SharedQueue<String> q = queue("tail")) {
            write(q.path(), BODY + QueueLayout.CTL, control(0, QueueLayout.CLAIMED, 0), 8);
            assertThrows(QueueFullException.class, () -> q.put("x", Duration.ofMillis(50)));
            assertFalse(q.offer("x"));
        }
        try (SharedPipe<String> p = SharedPipe.builder("pipe-tail", Codecs.string()).directory(dir)
                .capacity(SLOTS * SLOT_SIZE).slotSize(SLOT_SIZE).create()) {
            write(p.path(), PipeLayout.RING_0 + QueueLayout.CTL, control(0, QueueLayout.CLAIMED, 0), 8);
            assertFalse(p.second().send("x", Duration.ofMillis(50)));
        }
    }

    @Test
    void recordLengthBeyondItsSpanIsRemovedAndNamed() throws Exception {
        try (SharedQueue<String> q = queue("length")) {
            q.put("a");
            q.put("b");
            write(q.path(), BODY + QueueLayout.dataOffset(SLOTS) + QueueLayout.RECORD_LENGTH, 1_000_000, 4);
            assertCorrupt(q::peek, "length=1000000", q.path());
            assertCorrupt(q::poll, "length=1000000", q.path());
            assertEquals("b", q.poll());
            assertEquals(0, q.qsize());
            q.put("c");
            assertEquals("c", q.get(Duration.ofSeconds(5)));
        }
    }

    @Test
    void corruptControlWordAtTheHeadDoesNotHideTheMessagesBehindIt() throws Exception {
        try (SharedQueue<String> q = queue("hidden")) {
            q.put("a");
            q.put("b");
            write(q.path(), BODY + QueueLayout.CTL, 0x5A5A5A5A5A5A5A5AL, 8);
            assertCorrupt(() -> q.get(Duration.ofSeconds(5)), "control word", q.path());
            assertEquals("b", q.get(Duration.ofSeconds(5)));
            assertEquals(0, q.qsize());
        }
    }

    @Test
    void spanBeyondTheRingIsRemovedAndNamed() throws Exception {
        try (SharedQueue<String> q = queue("span")) {
            q.put("a");
            q.put("b");
            write(q.path(), BODY + QueueLayout.CTL, control(0, QueueLayout.PUBLISHED, 9999), 8);
            assertCorrupt(() -> q.get(Duration.ofSeconds(5)), "span=9999", q.path());
            assertEquals("b", q.get(Duration.ofSeconds(5)));
            for (int i = 0; i < 100; i++) {
                q.put("m" + i);
                assertEquals("m" + i, q.get(Duration.ofSeconds(5)));
            }
        }
    }
}
