package io.mmipc;

import io.mmipc.codec.Codecs;
import io.mmipc.queue.SharedQueue;
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
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@Timeout(120)
class SharedObjectsTest {
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("objects");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestDirs.delete(dir);
    }

    /** Child: creates (or opens) queue {@code args[1]} in {@code args[0]}, prints "ready", then sleeps. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            SharedQueue<String> q = SharedQueue.builder(args[1], Codecs.string()).directory(Path.of(args[0]))
                    .openOrCreate();
            q.put("left behind");
            System.out.println("ready");
            Thread.sleep(600_000);
        }
    }

    @Test
    void objectsOfDeadProcessesAreFoundAndRemoved() throws Exception {
        try (SharedQueue<String> mine = SharedQueue.builder("mine", Codecs.string()).directory(dir).create();
             ChildJvm child = ChildJvm.start(Holder.class, dir.toString(), "orphan");
             ChildJvm sharing = ChildJvm.start(Holder.class, dir.toString(), "mine")) {
            child.expect("ready", Duration.ofSeconds(60));
            sharing.expect("ready", Duration.ofSeconds(60));
            assertEquals(List.of("mine", "orphan"), SharedObjects.list(dir));
            assertEquals(List.of(), SharedObjects.findAbandoned(dir), "the holders are alive");
            child.kill();
            sharing.kill();
            assertEquals(List.of("orphan"), SharedObjects.findAbandoned(dir), "'mine' is still open here");
            assertEquals(List.of("orphan"), SharedObjects.removeAbandoned(dir));
            assertEquals(List.of("mine"), SharedObjects.list(dir));
            assertEquals(1, mine.qsize(), "the killed process's put is kept");
            assertEquals("left behind", mine.take());
        }
    }

    @Test
    void removeUnlinksButOpenHandlesKeepWorking() throws Exception {
        try (SharedQueue<String> q = SharedQueue.builder("gone", Codecs.string()).directory(dir).create()) {
            assertTrue(SharedObjects.remove(dir, "gone"));
            assertFalse(Files.exists(SharedObjects.path(dir, "gone")));
            q.put("still works");
            assertEquals("still works", q.poll(1, TimeUnit.SECONDS));
            assertThrows(java.nio.file.NoSuchFileException.class,
                    () -> SharedQueue.builder("gone", Codecs.string()).directory(dir).open());
        }
    }

    @Test
    void aFullFileSystemFailsAtCreationNotLater() throws Exception {
        Path mount = Files.createTempDirectory("mmipc-tinyfs");
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        boolean mounted = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        assumeTrue(mounted, "needs permission to mount a small tmpfs");
        try {
            IOException e = assertThrows(IOException.class, () -> SharedQueue.builder("big", Codecs.bytes())
                    .directory(mount.resolve("objs")).capacity(4 << 20).create());
            assertTrue(e.getMessage().contains("cannot allocate"), e.getMessage());
            try (var files = Files.list(mount.resolve("objs"))) {
                assertEquals(0, files.count(), "no partial or temporary file is left behind");
            }
            try (SharedQueue<byte[]> small = SharedQueue.builder("small", Codecs.bytes())
                    .directory(mount.resolve("objs")).capacity(64 << 10).create()) {
                small.put(new byte[1000]);
                assertEquals(1000, small.take().length);
            }
        } finally {
            // Lazy: on JDK 17 the mapping is released only when the buffer is garbage collected.
            new ProcessBuilder("umount", "-l", mount.toString()).start().waitFor(10, TimeUnit.SECONDS);
            try {
                Files.deleteIfExists(mount);
            } catch (IOException stillBusy) {
                mount.toFile().deleteOnExit();
            }
        }
    }
}
