package io.mmipc.queue;

import io.mmipc.SharedObjects;
import io.mmipc.codec.Codecs;
import io.mmipc.pipe.SharedPipe;
import io.mmipc.testing.ChildJvm;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14 item 3: side files belong to one object instance and live until its last handle is gone. Removing
 * the name (unlink, SharedObjects.remove) keeps them while any process has the instance open; a name created
 * again gets its own side files; the last handle of an unlinked instance deletes them.
 */
@Timeout(120)
class SideFileLifetimeTest {
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("side-files");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestDirs.delete(dir);
    }

    private QueueBuilder<byte[], ? extends SharedQueue<byte[]>> small(String name) {
        return SharedQueue.builder(name, Codecs.bytes()).directory(dir).capacity(1024).slotSize(64);
    }

    private static byte[] big(int seed) {
        byte[] b = new byte[5000];
        Arrays.fill(b, (byte) seed);
        return b;
    }

    private List<Path> sideFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().contains(".spill-")).collect(Collectors.toList());
        }
    }

    @Test
    void childReadsASpilledMessageAfterTheParentRemovedTheName() throws Exception {
        Path go = dir.resolve("go");
        try (SharedQueue<byte[]> q = small("q").create()) {
            q.put(big(5));
            try (ChildJvm child = ChildJvm.start(Child.class, dir.toString(), "q", go.toString())) {
                child.expect("ready", Duration.ofSeconds(60));
                q.unlink();
                SharedObjects.remove(dir, "q");
                q.close();
                assertEquals(1, sideFiles().size(), "the child still has the queue open");
                Files.createFile(go);
                child.expect("got 5000 5", Duration.ofSeconds(60));
                assertEquals(0, child.waitFor(Duration.ofSeconds(60)));
            }
        }
        assertTrue(sideFiles().isEmpty(), "the last handle of the unlinked queue deleted its side files");
    }

    @Test
    void aNameCreatedAgainHasItsOwnSideFiles() throws Exception {
        SharedQueue<byte[]> old = small("again").create();
        old.put(big(1));
        old.unlink();
        try (SharedQueue<byte[]> fresh = small("again").create()) {
            fresh.put(big(2));
            assertEquals(2, sideFiles().size());
            assertTrue(SharedObjects.remove(dir, "again"));
            assertEquals(2, sideFiles().size(), "both instances are still open");
            assertArrayEquals(big(1), old.get(Duration.ofSeconds(10)));
            old.put(big(3));
            old.close();
            assertEquals(1, sideFiles().size(), "the old instance's last handle deleted its own files only");
            assertArrayEquals(big(2), fresh.get(Duration.ofSeconds(10)));
            fresh.put(big(4));
        }
        assertTrue(sideFiles().isEmpty());
    }

    @Test
    void removingAClosedQueueDeletesItsSideFilesAndAnOpenNamedOneKeepsThem() throws Exception {
        try (SharedQueue<byte[]> q = small("closed").create()) {
            q.put(big(1));
        }
        assertEquals(1, sideFiles().size(), "a named queue keeps its messages when nobody has it open");
        try (SharedQueue<byte[]> q = small("closed").open()) {
            assertArrayEquals(big(1), q.get(Duration.ofSeconds(10)));
            q.put(big(2));
        }
        assertTrue(SharedObjects.remove(dir, "closed"));
        assertTrue(sideFiles().isEmpty());
        assertFalse(SharedObjects.remove(dir, "closed"));
    }

    @Test
    void pipeUnlinkKeepsSideFilesForOpenEnds() throws Exception {
        try (SharedPipe<byte[]> p = SharedPipe.builder("p", Codecs.bytes()).directory(dir).capacity(1024)
                .slotSize(64).create()) {
            p.first().sendBytes(big(6));
            p.second().sendBytes(big(7));
            p.unlink();
            assertArrayEquals(big(6), p.second().recvBytes());
            assertArrayEquals(big(7), p.first().recvBytes());
            p.first().sendBytes(big(8));
        }
        assertTrue(sideFiles().isEmpty());
    }

    /** Child JVM: opens the queue, says "ready", waits for the go file, then takes one message. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            Path go = Path.of(args[2]);
            try (SharedQueue<byte[]> q = SharedQueue.builder(args[1], Codecs.bytes()).directory(Path.of(args[0]))
                    .open()) {
                System.out.println("ready");
                System.out.flush();
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (!Files.exists(go) && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                byte[] m = q.get(Duration.ofSeconds(30));
                System.out.println("got " + m.length + " " + m[0]);
            }
            System.out.flush();
            System.exit(0);
        }
    }
}
