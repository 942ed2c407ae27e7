package io.mmipc;

import io.mmipc.codec.Codecs;
import io.mmipc.queue.SharedQueue;
import io.mmipc.value.SharedLong;
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

    /** Child: removes abandoned objects in {@code args[0]} in a loop for {@code args[1]} ms, then prints the count. */
    public static final class Remover {
        public static void main(String[] args) throws Exception {
            Path dir = Path.of(args[0]);
            long end = System.nanoTime() + Long.parseLong(args[1]) * 1_000_000L;
            int removed = 0;
            System.out.println("started");
            while (System.nanoTime() < end) {
                removed += SharedObjects.removeAbandoned(dir).size();
            }
            System.out.println("removed=" + removed);
        }
    }

    /**
     * Before: removal could unlink a file another process had just opened (it then held a deleted file, and
     * the next openOrCreate made a second object). Now an open and a removal exclude each other.
     */
    @Test
    void anObjectBeingOpenedIsNeverRemoved() throws Exception {
        SharedLong.builder("x").directory(dir).create().close();
        int opens = 0;
        int lost = 0;
        try (ChildJvm remover = ChildJvm.start(Remover.class, dir.toString(), "15000")) {
            remover.expect("started", Duration.ofSeconds(60));
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            java.util.Random random = new java.util.Random(7);
            while (System.nanoTime() < end && remover.isAlive()) {
                try (SharedLong v = SharedLong.builder("x").directory(dir).openOrCreate()) {
                    long mark = random.nextLong();
                    v.set(mark);
                    opens++;
                    try (SharedLong again = SharedLong.builder("x").directory(dir).open()) {
                        if (again.get() != mark) {
                            lost++; // another object under the name: ours was unlinked
                        }
                    } catch (java.nio.file.NoSuchFileException e) {
                        lost++; // ours was unlinked while we held it
                    }
                }
            }
            String result = remover.readLine(Duration.ofSeconds(60));
            assertTrue(result.startsWith("removed="), result);
            assertTrue(Integer.parseInt(result.substring("removed=".length())) > 0, "the race was exercised: " + result);
        }
        assertTrue(opens > 100, "opens=" + opens);
        assertEquals(0, lost, "opens holding an unlinked object, of " + opens);
    }

    /** Before: a creator killed before publishing left a hidden temporary file nothing listed or removed. */
    @Test
    void aDeadCreatorsTemporaryFileIsFoundAndRemoved() throws Exception {
        String deadToken;
        try (ChildJvm child = ChildJvm.start(Holder.class, dir.toString(), "other")) {
            child.expect("ready", Duration.ofSeconds(60));
            deadToken = null;
            try (var nodes = Files.list(dir.resolve(".nodes"))) {
                for (Path n : (Iterable<Path>) nodes::iterator) {
                    String f = n.getFileName().toString();
                    if (f.endsWith(".node") && !f.startsWith(io.mmipc.internal.proc.ProcessIdentity.toHex(
                            io.mmipc.internal.proc.ProcessIdentity.self()))) {
                        deadToken = f.substring(0, 16);
                    }
                }
            }
            child.kill();
        }
        assertTrue(deadToken != null, "the child's node file");
        String mine = io.mmipc.internal.proc.ProcessIdentity.toHex(io.mmipc.internal.proc.ProcessIdentity.self());
        Path dead = dir.resolve(".jobs.mmipc.tmp-" + deadToken + "-1f2e3d");
        Path live = dir.resolve(".work.mmipc.tmp-" + mine + "-4c5b6a");
        for (Path tmp : List.of(dead, live)) {
            Files.write(tmp, new byte[1 << 20]);
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        }
        assertEquals(List.of("other", dead.getFileName().toString()), SharedObjects.findAbandoned(dir));
        assertEquals(List.of("other", dead.getFileName().toString()), SharedObjects.removeAbandoned(dir));
        assertFalse(Files.exists(dead));
        assertTrue(Files.exists(live), "a live creator's file is kept");
        try (var nodes = Files.list(dir.resolve(".nodes"))) {
            assertTrue(nodes.noneMatch(n -> n.getFileName().toString().startsWith(
                    dead.getFileName().toString().substring(16, 32))), "the dead child's node file is gone");
        }
    }

    /** JDK 22+ (the overlay unmaps explicitly): before, every failed create kept its mapping for life. */
    @Test
    void aFailedCreateDoesNotKeepItsMapping() throws Exception {
        assumeTrue(io.mmipc.internal.mem.MappedMemory.implementation().equals("MemorySegment"),
                "JDK 17 mappings are released by the garbage collector");
        assumeTrue(Files.isReadable(Path.of("/proc/self/maps")), "needs /proc/self/maps");
        try (SharedQueue<String> q = SharedQueue.builder("taken", Codecs.string()).directory(dir).create()) {
            for (int i = 0; i < 20; i++) {
                assertThrows(java.nio.file.FileAlreadyExistsException.class,
                        () -> SharedQueue.builder("taken", Codecs.string()).directory(dir).create());
            }
            long leaked = Files.readAllLines(Path.of("/proc/self/maps")).stream()
                    .filter(l -> l.contains(".taken.mmipc.tmp-")).count();
            // One: the live queue itself, mapped through its temporary name before the name was linked.
            assertEquals(1, leaked, "mappings of temporary files (failed creates must leave none)");
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
                assertEquals(0, files.filter(f -> !f.getFileName().toString().equals(".nodes")).count(),
                        "no partial or temporary file is left behind");
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
