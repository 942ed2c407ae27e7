package io.mmipc.queue;

import io.mmipc.ObjectFileException;
import io.mmipc.codec.Codecs;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14 item 2: a large (spilled) message is never destroyed because reading its side file failed. A
 * pending interrupt makes the calls that may wait throw InterruptedException with the message still queued;
 * the calls that may not wait read it regardless. An unreadable side file fails the call and keeps the
 * message; only a side file that is gone (the message can never be read) removes it, naming the file.
 */
@Timeout(60)
class SpillFailureTest {
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("spill-fail");
    }

    @AfterEach
    void tearDown() throws Exception {
        Thread.interrupted();
        TestDirs.delete(dir);
    }

    private SharedQueue<byte[]> small(String name) throws IOException {
        return SharedQueue.builder(name, Codecs.bytes()).directory(dir).capacity(1024).slotSize(64).create();
    }

    private static byte[] big(int seed) {
        byte[] b = new byte[4000];
        Arrays.fill(b, (byte) seed);
        return b;
    }

    private List<Path> sideFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().contains(".spill-")).sorted()
                    .collect(Collectors.toList());
        }
    }

    @Test
    void pendingInterruptFailsWaitingGetsAndKeepsTheMessage() throws Exception {
        try (SharedQueue<byte[]> q = small("wait")) {
            assertTrue(q.maxInlineMessage() < 4000);
            q.put(big(1));
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, q::take);
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, q::get);
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, () -> q.get(Duration.ofSeconds(5)));
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, () -> q.poll(5, TimeUnit.SECONDS));
            assertEquals(1, q.qsize());
            assertEquals(1, sideFiles().size());
            assertArrayEquals(big(1), q.take());
            assertTrue(sideFiles().isEmpty());
        }
    }

    @Test
    void pendingInterruptDoesNotDestroyWhatNonWaitingCallsRead() throws Exception {
        try (SharedQueue<byte[]> q = small("nowait")) {
            q.put(big(1));
            q.put(big(2));
            q.put(big(3));
            q.put(big(4));
            Thread.currentThread().interrupt();
            assertArrayEquals(big(1), q.peek());
            assertArrayEquals(big(1), q.poll());
            assertArrayEquals(big(2), q.getNowait());
            List<byte[]> drained = new ArrayList<>();
            assertEquals(1, q.drainTo(drained, 1));
            assertArrayEquals(big(3), drained.get(0));
            assertTrue(Thread.interrupted(), "the interrupt stays pending");
            assertEquals(1, q.qsize());
            Thread.currentThread().interrupt();
            q.clear();
            assertTrue(Thread.interrupted());
            assertEquals(0, q.qsize());
            assertTrue(sideFiles().isEmpty());
        }
    }

    @Test
    void unreadableSideFileFailsTheCallAndKeepsTheMessage() throws Exception {
        try (SharedQueue<byte[]> q = small("unreadable")) {
            q.put(big(7));
            Path side = sideFiles().get(0);
            byte[] saved = Files.readAllBytes(side);
            // As root, chmod 000 does not stop a read: a folder in the file's place does.
            Files.delete(side);
            Files.createDirectory(side);
            assertThrows(UncheckedIOException.class, q::poll);
            assertThrows(UncheckedIOException.class, () -> q.get(Duration.ofSeconds(1)));
            assertThrows(UncheckedIOException.class, q::peek);
            assertEquals(1, q.qsize());
            Files.delete(side);
            Files.write(side, saved);
            assertArrayEquals(big(7), q.get(Duration.ofSeconds(5)));
            assertTrue(sideFiles().isEmpty());
        }
    }

    @Test
    void missingSideFileRemovesTheMessageNamingTheFile() throws Exception {
        try (SharedQueue<byte[]> q = small("missing")) {
            q.put(big(7));
            q.put(new byte[] {1, 2, 3});
            Path side = sideFiles().get(0);
            Files.delete(side);
            UncheckedIOException e = assertThrows(UncheckedIOException.class, q::poll);
            ObjectFileException cause = assertInstanceOf(ObjectFileException.class, e.getCause());
            assertEquals(side, cause.file());
            assertArrayEquals(new byte[] {1, 2, 3}, q.poll(), "the queue is not stuck behind it");
            assertEquals(0, q.qsize());
        }
    }
}
