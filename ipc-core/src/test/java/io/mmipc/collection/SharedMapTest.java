package io.mmipc.collection;

import io.mmipc.ObjectFileException;
import io.mmipc.codec.Codecs;
import io.mmipc.internal.collection.CollectionLayout;
import io.mmipc.internal.file.HeaderLayout;
import io.mmipc.sync.SharedLock;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.RandomAccessFile;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link SharedMap} and {@link SharedList} in one process: errors, limits, handles, threads. */
@Timeout(120)
class SharedMapTest {
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("map");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestDirs.delete(dir);
    }

    private SharedMap.Builder<String, Long> counters() {
        return SharedMap.builder("m", Codecs.string(), Codecs.int64()).directory(dir).initialBytes(0);
    }

    @Test
    void secondHandleSeesTheFirstOnesWrites() throws Exception {
        try (SharedMap<String, Long> a = counters().create(); SharedMap<String, Long> b = counters().open()) {
            a.put("x", 1L);
            assertEquals(1L, b.get("x"));
            assertEquals(2L, b.merge("x", 1L, Long::sum));
            assertEquals(2L, a.get("x"));
            assertNull(a.putIfAbsent("y", 5L));
            assertEquals(5L, b.putIfAbsent("y", 6L));
            assertTrue(b.replace("y", 5L, 7L));
            assertEquals(7L, a.remove("y"));
            assertEquals(1, b.size());
            a.clear();
            assertTrue(b.isEmpty());
        }
    }

    @Test
    void createOpenAndTypeErrorsNameTheObject() throws Exception {
        assertThrows(NoSuchFileException.class, () -> counters().open());
        try (SharedMap<String, Long> m = counters().create()) {
            assertThrows(FileAlreadyExistsException.class, () -> counters().create());
            ObjectFileException wrong = assertThrows(ObjectFileException.class,
                    () -> SharedList.builder("m", Codecs.string()).directory(dir).open());
            assertTrue(wrong.getMessage().contains("expected list, found map"), wrong.getMessage());
            assertThrows(ObjectFileException.class, () -> SharedLock.builder("m").directory(dir).open());
        }
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("m.mmipc").toFile(), "rw")) {
            f.setLength(f.length() - 4096);
        }
        ObjectFileException truncated = assertThrows(ObjectFileException.class, () -> counters().open());
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());
    }

    @Test
    void closedHandleThrowsTheClosedError() throws Exception {
        SharedMap<String, Long> m = counters().create();
        m.put("x", 1L);
        m.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.get("x"));
        assertEquals("map 'm' is closed", e.getMessage());
        assertThrows(IllegalStateException.class, () -> m.put("x", 2L));
        assertEquals("map 'm' [closed]", m.toString());
        m.close();
    }

    @Test
    void nullsAreRefusedAndForeignKeysAreAbsent() throws Exception {
        try (SharedMap<String, Long> m = counters().create()) {
            assertThrows(NullPointerException.class, () -> m.put(null, 1L));
            assertThrows(NullPointerException.class, () -> m.put("x", null));
            assertThrows(NullPointerException.class, () -> m.get(null));
            assertNull(m.get(42));
            assertTrue(!m.containsKey(42));
        }
    }

    @Test
    void threadsMergingAndReadingAgree() throws Exception {
        int threads = 4;
        int n = 5_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (SharedMap<String, Long> m = counters().create()) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < n; i++) {
                        m.merge("sum", 1L, Long::sum);
                        m.put("t" + id + "-" + (i % 100), (long) i);
                        Long v = m.get("sum");
                        assertTrue(v != null && v > 0);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            assertEquals((long) threads * n, m.get("sum"));
            assertEquals(1 + threads * 100, m.size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void growthMakesSegmentFilesThatRemovalDeletes() throws Exception {
        try (SharedList<byte[]> l = SharedList.builder("grown", Codecs.bytes()).directory(dir).initialBytes(0)
                .create()) {
            for (int i = 0; i < 100; i++) {
                l.add(new byte[10_000]);
            }
            assertEquals(100, l.size());
        }
        assertTrue(java.nio.file.Files.exists(dir.resolve("grown.mmipc.seg-2")));
        assertTrue(io.mmipc.SharedObjects.remove(dir, "grown"));
        try (java.util.stream.Stream<Path> left = java.nio.file.Files.list(dir)) {
            assertEquals(List.of(), left.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".nodes")).toList(),
                    "nothing left behind (.nodes holds the liveness locks of the folder's processes)");
        }
    }

    @Test
    void stripesAreCheckedSetOnCreateAndReadFromTheFileOnOpen() throws Exception {
        for (int bad : new int[] {0, 3, 128, -1}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> counters().stripes(bad));
            assertTrue(e.getMessage().contains("stripes=" + bad), e.getMessage());
        }
        try (SharedMap<String, Long> a = counters().stripes(2).create();
             SharedMap<String, Long> b = counters().stripes(64).open()) {     // ignored on open
            for (int i = 0; i < 1000; i++) {
                a.put("k" + i, (long) i);
            }
            assertEquals(1000, b.size());
            assertEquals(999L, b.get("k999"));
        }
        Path file = dir.resolve("m.mmipc");
        assertEquals(CollectionLayout.fileSize(2, CollectionLayout.MIN_SEGMENT0), java.nio.file.Files.size(file));
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(HeaderLayout.paramOffset(CollectionLayout.P_STRIPES));
            f.write(new byte[] {3, 0, 0, 0, 0, 0, 0, 0});      // little-endian 3: not a power of two
        }
        ObjectFileException corrupt = assertThrows(ObjectFileException.class, () -> counters().open());
        assertTrue(corrupt.getMessage().contains("stripes=3"), corrupt.getMessage());
    }

    @Test
    void everyStripesSegmentFilesGoWithTheMap() throws Exception {
        try (SharedMap<String, byte[]> m = SharedMap.builder("striped", Codecs.string(), Codecs.bytes()).directory(dir)
                .initialBytes(0).stripes(4).create()) {
            for (int i = 0; i < 200; i++) {
                m.put("k" + i, new byte[5_000]);     // 1 MB over four stripes of 64 KiB: each one grows
            }
            assertEquals(200, m.size());
        }
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            for (int stripe = 1; stripe < 4; stripe++) {
                assertTrue(names.contains("striped.mmipc.seg-1.s" + stripe), "stripe " + stripe + ": " + names);
            }
        }
        try (SharedMap<String, byte[]> m = SharedMap.builder("striped", Codecs.string(), Codecs.bytes()).directory(dir)
                .open()) {
            assertEquals(5_000, m.get("k199").length);
        }
        assertTrue(io.mmipc.SharedObjects.remove(dir, "striped"));
        try (java.util.stream.Stream<Path> left = java.nio.file.Files.list(dir)) {
            assertEquals(List.of(), left.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".nodes")).toList());
        }
    }

    @Test
    void closingWithAnInterruptPendingGivesSparesBackAndKeepsTheInterrupt() throws Exception {
        try (SharedMap<String, Long> other = counters().create()) {
            SharedMap<String, Long> m = counters().open();
            for (int i = 0; i < 100; i++) {
                m.put("k" + i % 10, (long) i);       // replaced entries' blocks become m's spares
            }
            Thread.currentThread().interrupt();
            m.close();                                // takes each stripe's lock to give its spares back
            assertTrue(Thread.interrupted(), "the interrupt is kept, not swallowed");
            for (int i = 0; i < 100; i++) {
                other.put("k" + i % 10, (long) i);   // no stripe lock was left held
            }
            assertEquals(99L, other.get("k9"));
            assertEquals(10, other.size());
            assertEquals(0, other.repairs(), "nothing to repair: the closing handle left no lock behind");
        }
    }

    @Test
    void rewritingInPlaceReusesMemory() throws Exception {
        try (SharedMap<String, byte[]> m = SharedMap.builder("reuse", Codecs.string(), Codecs.bytes()).directory(dir)
                .initialBytes(0).create()) {
            for (int round = 0; round < 200; round++) {
                for (int k = 0; k < 50; k++) {
                    m.put("k" + k, new byte[500 + round % 7]);
                }
            }
            assertEquals(50, m.size());
        }
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
            assertEquals(1, files.filter(p -> !p.getFileName().toString().equals(".nodes")).count(), "200 rewrites of 50 entries (5 MB written) fit in the first 64 KiB");
        }
    }

    @Test
    void listBasicsAndAtomicUpdate() throws Exception {
        try (SharedList<String> l = SharedList.builder("l", Codecs.string()).directory(dir).initialBytes(0).create();
             SharedList<String> other = SharedList.builder("l", Codecs.string()).directory(dir).open()) {
            for (int i = 0; i < 100; i++) {
                l.add("e" + i);
            }
            assertEquals(100, other.size());
            assertEquals("e42", other.get(42));
            assertEquals("e42!", other.update(42, s -> s + "!"));
            assertEquals("e42!", l.get(42));
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> l.get(100));
            assertEquals("list 'l': index out of bounds: index=100, length=100", e.getMessage());
            assertEquals("e0", l.remove(0));
            l.add(0, "first");
            assertEquals("first", other.get(0));
            assertThrows(NullPointerException.class, () -> l.add(null));
            l.clear();
            assertEquals(0, other.size());
        }
    }
}
