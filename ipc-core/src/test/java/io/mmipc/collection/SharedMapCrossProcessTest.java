package io.mmipc.collection;

import io.mmipc.codec.Codecs;
import io.mmipc.internal.collection.CollectionLayout;
import io.mmipc.testing.ChildJvm;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link SharedMap} across real processes: atomic updates, growth, large values, writers killed mid-update. */
@Timeout(600)
class SharedMapCrossProcessTest {
    /** How many processes decrement the counter (the Python example uses 70). */
    private static final int DECREMENTERS = Integer.getInteger("mmipc.test.mapProcesses", 70);
    /** How many of them run at once (2 cores: starting all 70 JVMs together only thrashes). */
    private static final int WAVE = 10;
    private static final Duration EXIT = Duration.ofSeconds(180);
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("map-xp");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestDirs.delete(dir);
    }

    private SharedMap<String, Long> createCounters() throws Exception {
        return createCounters(CollectionLayout.DEFAULT_MAP_STRIPES);
    }

    private SharedMap<String, Long> createCounters(int stripes) throws Exception {
        return SharedMap.builder("counters", Codecs.string(), Codecs.int64()).directory(dir).initialBytes(0)
                .stripes(stripes).create();
    }

    /** @return whether heap segment {@code k} of some stripe of map 'counters' has a file */
    private boolean segmentFileExists(int k) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            String seg = "counters.mmipc.seg-" + k;
            return files.map(f -> f.getFileName().toString()).anyMatch(f -> f.equals(seg) || f.startsWith(seg + ".s"));
        }
    }

    private static void runAll(List<ChildJvm> children) throws Exception {
        try {
            for (ChildJvm child : children) {
                assertEquals(0, child.waitFor(EXIT), "child output: " + child.output());
            }
        } finally {
            children.forEach(ChildJvm::close);
        }
    }

    @Test
    void seventyProcessesMergeDecrementingOneKeyFrom100EndAt30() throws Exception {
        try (SharedMap<String, Long> m = createCounters()) {
            m.put("counter", 100L);
            for (int started = 0; started < DECREMENTERS; started += WAVE) {
                List<ChildJvm> wave = new ArrayList<>();
                for (int i = started; i < Math.min(DECREMENTERS, started + WAVE); i++) {
                    wave.add(ChildJvm.start(CollectionChild.class, dir.toString(), "decrement"));
                }
                runAll(wave);
            }
            assertEquals(100L - DECREMENTERS, m.get("counter"));
            assertEquals(1, m.size());
        }
    }

    @Test
    void writersOnDistinctAndOnTheSameKeysLoseNothing() throws Exception {
        int writers = 4;
        int n = 500;
        try (SharedMap<String, Long> m = createCounters()) {
            List<ChildJvm> children = new ArrayList<>();
            for (int id = 0; id < writers; id++) {
                children.add(ChildJvm.start(CollectionChild.class, dir.toString(), "hammer", String.valueOf(id),
                        String.valueOf(n)));
            }
            runAll(children);
            assertEquals((long) writers * n, m.get("same"));
            for (int id = 0; id < writers; id++) {
                assertEquals(n, m.get("own" + id));
                for (int i = 0; i < n; i++) {
                    assertEquals(i, m.get("p" + id + "-" + i));
                }
            }
            assertEquals(1 + writers + writers * n, m.size());
            assertConsistent(m);
        }
    }

    @Test
    void growsPastItsInitialSizeAndOtherProcessesMapTheNewSegments() throws Exception {
        int n = 20_000;
        try (SharedMap<String, Long> m = createCounters()) {
            m.put("before", 1L);   // this process maps segment 0 only, before the child grows the heap
            runAll(List.of(ChildJvm.start(CollectionChild.class, dir.toString(), "fill", String.valueOf(n))));
            assertTrue(segmentFileExists(2), "the heap grew into segment files");
            for (int i = 0; i < n; i += 97) {
                assertEquals(i, m.get("fill-" + i + "-" + "x".repeat(80)));
            }
            assertEquals(n + 1, m.size());
            assertConsistent(m);
            m.unlink();
            assertFalse(segmentFileExists(1), "unlink removes the segments");
        }
    }

    @Test
    void largeValuesCrossWhole() throws Exception {
        int[] sizes = {1, 100_000, 3 << 20, 9 << 20};
        try (SharedMap<String, byte[]> m = SharedMap.builder("blobs", Codecs.string(), Codecs.bytes()).directory(dir)
                .initialBytes(0).create()) {
            List<String> args = new ArrayList<>(List.of(dir.toString(), "blobs", "7"));
            for (int s : sizes) {
                args.add(String.valueOf(s));
            }
            runAll(List.of(ChildJvm.start(CollectionChild.class, args.toArray(new String[0]))));
            for (int s : sizes) {
                assertArrayEquals(CollectionChild.blob(7, s), m.get("b" + s), "value of " + s + " bytes");
            }
            m.put("b" + sizes[3], CollectionChild.blob(8, sizes[3]));
            assertArrayEquals(CollectionChild.blob(8, sizes[3]), m.get("b" + sizes[3]));
        }
    }

    @Test
    void readersNeverSeeAHalfWrittenValue() throws Exception {
        try (SharedMap<String, byte[]> m = SharedMap.builder("blobs", Codecs.string(), Codecs.bytes()).directory(dir)
                .initialBytes(0).create();
             ChildJvm writer = ChildJvm.start(CollectionChild.class, dir.toString(), "uniform", "200000")) {
            writer.expect("ready", EXIT);
            long reads = 0;
            while (writer.isAlive() || reads == 0) {
                for (int k = 0; k < 4; k++) {
                    byte[] v = m.get("u" + k);
                    if (v != null) {
                        reads++;
                        for (byte b : v) {
                            assertEquals(v[0], b, "a value read whole: length=" + v.length);
                        }
                    }
                }
                for (Map.Entry<String, byte[]> e : m.entrySet()) {
                    byte[] v = e.getValue();
                    for (byte b : v) {
                        assertEquals(v[0], b, "an iterated value read whole: length=" + v.length);
                    }
                }
            }
            assertEquals(0, writer.waitFor(EXIT), "writer output: " + writer.output());
            System.out.println("torn-read check: " + reads + " reads while another process rewrote the values");
        }
    }

    // ---------------------------------------------------------------- killed writers

    /** Starts a child armed to stop at {@code point}, waits until it is there, and SIGKILLs it. */
    private void killAt(String point, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(dir.toString()));
        all.addAll(List.of(args));
        try (ChildJvm child = ChildJvm.launcher(CollectionChild.class)
                .jvmOptions(List.of("-Dmmipc.test.crashPoint=" + point)).args(all.toArray(new String[0])).start()) {
            child.expect("crash-point " + point, EXIT);
            child.kill();
        }
    }

    @Test
    void writerKilledAtEachStepOfAnUpdateLeavesTheMapConsistentAndUsable() throws Exception {
        writerKilledAtEachStepOfAnUpdate(1);
        writerKilledAtEachStepOfAnUpdate(CollectionLayout.DEFAULT_MAP_STRIPES);
    }

    private void writerKilledAtEachStepOfAnUpdate(int stripes) throws Exception {
        // point, operation, and what the map holds afterwards: the update happened or it did not
        Object[][] rounds = {
            {"map.written", new String[] {"op", "put", "a", "10"}, "a", 1L},
            {"map.replaced", new String[] {"op", "put", "a", "10"}, "a", 10L},
            {"map.inserted", new String[] {"op", "put", "c", "3"}, "c", 3L},
            {"map.removed", new String[] {"op", "remove", "a"}, "a", null},
            {"map.table-built", new String[] {"op", "grow"}, "a", 1L},
            {"map.table-published", new String[] {"op", "grow"}, "b", 2L},
            {"map.cleared", new String[] {"op", "clear"}, "a", null},
        };
        for (Object[] round : rounds) {
            String point = "stripes=" + stripes + ", " + round[0];
            String crashPoint = (String) round[0];
            try (SharedMap<String, Long> m = createCounters(stripes)) {
                m.put("a", 1L);
                m.put("b", 2L);
                killAt(crashPoint, (String[]) round[1]);
                if (stripes > 1 && crashPoint.equals("map.cleared")) {
                    // stripes are cleared one after another: the first non-empty one was, the other may not be
                    Long a = m.get("a");
                    Long b = m.get("b");
                    assertTrue((a == null || a == 1L) && (b == null || b == 2L), point + ": a=" + a + ", b=" + b);
                    assertTrue(a == null || b == null, point + ": the stripe cleared before the kill stays cleared");
                } else {
                    assertEquals(round[3], m.get((String) round[2]), point + ": the update happened or it did not");
                }
                if (stripes > 1) {
                    m.size();   // repairs the stripe the dead writer held ("after" may live in another one)
                }
                m.put("after", 42L);   // with one stripe: takes the lock over from the dead writer and repairs
                assertEquals(1, m.repairs(), point + ": one repair");
                assertEquals(42L, m.get("after"));
                assertConsistent(m);
                for (int i = 0; i < 200; i++) {
                    m.merge("after", 1L, Long::sum);
                    m.put("more" + i, (long) i);
                }
                assertEquals(242L, m.get("after"));
                assertConsistent(m);
                m.unlink();
            }
        }
    }

    @Test
    void writerKilledWhileAddingASegmentLeavesAFileTheNextWriterReplaces() throws Exception {
        try (SharedMap<String, Long> m = createCounters()) {
            m.put("before", 1L);
            killAt("heap.segment-linked", "fill", "20000");
            assertTrue(segmentFileExists(1), "linked, not yet counted");
            long filled = m.size() - 1;
            assertTrue(filled > 0 && filled < 20_000, "filled=" + filled);
            for (int i = 0; i < 20_000; i++) {
                m.put("fill-" + i + "-" + "x".repeat(80), (long) i);   // repairs, then grows into seg-1 again
            }
            assertEquals(20_001, m.size());
            assertEquals(1, m.repairs());
            assertEquals(19_999L, m.get("fill-19999-" + "x".repeat(80)));
            assertConsistent(m);
        }
    }

    /**
     * Two writers keep updating (replacing their own keys and a shared counter, so their freed blocks become
     * spares) while a third writer on the same stripes is killed again and again; whoever takes a dead writer's
     * stripe over repairs it under the others' feet. Nothing a survivor did may be lost or corrupted.
     */
    @Test
    void writersLoseNothingWhileAnotherWriterIsKilledAgainAndAgain() throws Exception {
        int writers = 2;
        Random random = new Random(7);
        try (SharedMap<String, Long> m = createCounters()) {
            List<ChildJvm> survivors = new ArrayList<>();
            int rounds = 0;
            try {
                for (int id = 0; id < writers; id++) {
                    survivors.add(ChildJvm.launcher(CollectionChild.class).captureStderr()
                            .args(dir.toString(), "hammerFor", String.valueOf(id), "6000").start());
                }
                for (ChildJvm s : survivors) {
                    s.expect("ready", EXIT);
                }
                while (survivors.stream().allMatch(ChildJvm::isAlive) && rounds < 30) {
                    try (ChildJvm victim = ChildJvm.start(CollectionChild.class, dir.toString(), "churn",
                            String.valueOf(rounds++))) {
                        victim.expect("ready", EXIT);
                        Thread.sleep(20 + random.nextInt(150));
                        victim.kill();
                    }
                }
                long total = 0;
                for (int id = 0; id < writers; id++) {
                    ChildJvm s = survivors.get(id);
                    assertEquals(0, s.waitFor(EXIT), "survivor output: " + s.output() + ", stderr: " + s.stderr());
                    String done = s.output().stream().filter(l -> l.startsWith("done ")).findFirst().orElseThrow();
                    long count = Long.parseLong(done.substring(5));
                    total += count;
                    assertEquals(count, m.get("own" + id), "survivor " + id);
                    for (int k = 0; k < 500 && k < count; k++) {
                        long last = count - 1 - Math.floorMod(count - 1 - k, 500);
                        assertEquals(last, m.get("p" + id + "-" + k), "survivor " + id + ", key " + k);
                    }
                }
                assertEquals(total, m.get("same"), "every merge of the survivors counted once");
                assertConsistent(m);
                System.out.println("survivors: " + total + " updates each x3 beside " + rounds + " killed writers, "
                        + m.repairs() + " repairs");
            } finally {
                survivors.forEach(ChildJvm::close);
            }
        }
    }

    @Test
    void writerKilledAtRandomMomentsNeverLosesAnAcknowledgedUpdate() throws Exception {
        Random random = new Random(42);
        try (SharedMap<String, Long> m = createCounters()) {
            for (int round = 0; round < 4; round++) {
                long lastAcked;
                try (ChildJvm child = ChildJvm.start(CollectionChild.class, dir.toString(), "churn",
                        String.valueOf(round))) {
                    child.expect("ready", EXIT);
                    Thread.sleep(100 + random.nextInt(400));
                    child.kill();
                    lastAcked = Math.max(0, CollectionChild.Acks.last(dir));
                }
                Long acked = m.get("acked");
                long now = acked == null ? 0 : acked;
                assertTrue(now == lastAcked || now == lastAcked + 1, "round " + round + ": acked=" + now
                        + ", last acknowledged=" + lastAcked);
                m.merge("acked", 0L, Long::sum);   // a write: repairs if the child died holding the lock
                assertConsistent(m);
            }
        }
    }

    /** The exact size equals what iteration and lookups see. */
    static void assertConsistent(SharedMap<String, Long> m) {
        Map<String, Long> seen = new HashMap<>();
        for (Map.Entry<String, Long> e : m.entrySet()) {
            assertNull(seen.put(e.getKey(), e.getValue()), "key seen twice: " + e.getKey());
            assertEquals(e.getValue(), m.get(e.getKey()), "lookup agrees with iteration: " + e.getKey());
        }
        assertEquals(seen.size(), m.size(), "size() is exact");
    }
}
