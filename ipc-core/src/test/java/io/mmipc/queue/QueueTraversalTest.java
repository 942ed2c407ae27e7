package io.mmipc.queue;

import io.mmipc.codec.Codecs;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Spliterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Java 8 traversal contract that JSR-166's collection tests check of every concurrent collection, in our
 * own words, on every queue configuration: empty means empty everywhere, null arguments, every way of
 * traversing agreeing, CONCURRENT spliterators that see removals and stay exhausted, removeIf with a failing
 * predicate, and threads hammering add/remove/iterate at once. Elements are copies decoded from shared
 * memory, so "the same element" here means equal, never identical.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class QueueTraversalTest {
    private static final Consumer<Object> NEVER = e -> fail("no element expected, got " + e);

    private Path dir;

    static Stream<QueueConfig> configs() {
        return QueueConfig.all().stream();
    }

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("traversal");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestDirs.delete(dir);
    }

    /** An object whose equals, hashCode and toString must never be called. */
    private static Object bomb() {
        return new Object() {
            @Override
            public boolean equals(Object o) {
                throw new AssertionError("equals called");
            }

            @Override
            public int hashCode() {
                throw new AssertionError("hashCode called");
            }

            @Override
            public String toString() {
                throw new AssertionError("toString called");
            }
        };
    }

    private SharedQueue<Integer> filled(QueueConfig c, int n) throws Exception {
        SharedQueue<Integer> q = c.create(dir, "t", Codecs.int32());
        for (int i = 0; i < n; i++) {
            q.put(i);
        }
        return q;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void anEmptyQueueIsEmptyThroughEveryView(QueueConfig c) throws Exception {
        try (SharedQueue<Integer> q = filled(c, 3)) {
            q.clear();
            assertEquals("[]", q.toString());
            assertEquals(0, q.toArray().length);
            assertSame(Object[].class, q.toArray().getClass());
            Integer[] none = new Integer[0];
            assertSame(none, q.toArray(none));
            Integer[] three = {7, 8, 9};
            assertSame(three, q.toArray(three));
            assertArrayEquals(new Integer[] {null, 8, 9}, three, "a null after the last element, nothing else");
            assertFalse(q.iterator().hasNext());
            q.forEach(NEVER);
            q.iterator().forEachRemaining(NEVER);
            q.spliterator().forEachRemaining(NEVER);
            assertFalse(q.spliterator().tryAdvance(NEVER));
            assertFalse(q.contains(bomb()));
            assertFalse(q.remove(bomb()));
            assertNull(q.poll(0, TimeUnit.SECONDS));
            assertNull(q.poll(-3, TimeUnit.HOURS));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void nullArgumentsThrowNullPointerException(QueueConfig c) throws Exception {
        try (SharedQueue<Integer> q = filled(c, 2)) {
            List<Executable> calls = List.of(() -> q.addAll(null), () -> q.containsAll(null),
                    () -> q.retainAll(null), () -> q.removeAll(null), () -> q.removeIf(null), () -> q.forEach(null),
                    () -> q.iterator().forEachRemaining(null), () -> q.spliterator().forEachRemaining(null),
                    () -> q.spliterator().tryAdvance(null), () -> q.toArray((Object[]) null), () -> q.add(null),
                    () -> q.offer(null), () -> q.offer(null, 1, TimeUnit.HOURS), () -> q.put(null));
            for (Executable call : calls) {
                assertThrows(NullPointerException.class, call);
            }
            assertEquals(2, q.size());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void everyWayOfTraversingSeesTheSameElementsInOrder(QueueConfig c) throws Exception {
        try (SharedQueue<Integer> q = filled(c, 5)) {
            List<Integer> iterated = new ArrayList<>();
            for (Integer x : q) {
                iterated.add(x);
            }
            assertEquals(List.of(0, 1, 2, 3, 4), iterated);
            List<Integer> other = new ArrayList<>();
            q.iterator().forEachRemaining(other::add);
            assertEquals(iterated, other);
            other.clear();
            for (Spliterator<Integer> s = q.spliterator(); s.tryAdvance(other::add); ) {
                assertTrue(other.size() <= 5);
            }
            assertEquals(iterated, other);
            other.clear();
            Spliterator<Integer> rest = q.spliterator();
            Spliterator<Integer> prefix = rest.trySplit();
            if (prefix != null) {
                prefix.forEachRemaining(other::add);
            }
            rest.forEachRemaining(other::add);
            assertEquals(iterated, other, "trySplit returns a strict prefix");
            other.clear();
            q.forEach(other::add);
            assertEquals(iterated, other);
            assertEquals(iterated, q.stream().collect(Collectors.toList()));
            ConcurrentLinkedQueue<Integer> parallel = new ConcurrentLinkedQueue<>();
            q.parallelStream().forEach(parallel::add);
            assertEquals(new HashSet<>(iterated), new HashSet<>(parallel));
            other.clear();
            assertFalse(q.removeIf(x -> !other.add(x)));
            assertEquals(iterated, other);
            assertEquals(iterated, Arrays.asList(q.toArray()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void aConcurrentSpliteratorSeesClearAndRemovalsAndStaysExhausted(QueueConfig c) throws Exception {
        try (SharedQueue<Integer> q = filled(c, 5)) {
            Spliterator<Integer> s = q.spliterator();
            assertTrue(s.hasCharacteristics(Spliterator.CONCURRENT));
            assertTrue(s.tryAdvance(x -> assertEquals(0, x)));
            assertTrue(q.remove(1));
            assertTrue(q.removeIf(x -> x == 3));
            List<Integer> rest = new ArrayList<>();
            assertTrue(s.tryAdvance(rest::add));
            assertEquals(List.of(2), rest, "1 was removed since: never returned");
            q.clear();
            assertFalse(s.tryAdvance(NEVER), "cleared since");
            q.put(9);
            assertFalse(s.tryAdvance(NEVER), "an exhausted spliterator stays exhausted");
            s.forEachRemaining(NEVER);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void iteratorRemoveAfterForEachRemainingRemovesTheLast(QueueConfig c) throws Exception {
        try (SharedQueue<Integer> q = filled(c, 4)) {
            Iterator<Integer> it = q.iterator();
            assertEquals(0, it.next());
            assertEquals(1, it.next());
            it.forEachRemaining(x -> assertTrue(q.contains(x)));
            it.remove();
            assertEquals(List.of(0, 1, 2), new ArrayList<>(q));
            Iterator<Integer> a = q.iterator();
            Iterator<Integer> b = q.iterator();
            assertTrue(a.hasNext());
            assertTrue(b.hasNext());
            q.clear();
            List<Integer> fromA = new ArrayList<>();
            while (a.hasNext()) {
                fromA.add(a.next());
            }
            List<Integer> fromB = new ArrayList<>();
            b.forEachRemaining(fromB::add);
            assertEquals(fromA, fromB, "forEachRemaining behaves as the hasNext/next loop");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void removeIfWhosePredicateThrowsKeepsWhatItHadNotRemoved(QueueConfig c) throws Exception {
        try (SharedQueue<Integer> q = filled(c, 5)) {
            assertThrows(ArithmeticException.class, () -> q.removeIf(x -> {
                if (x == 3) {
                    throw new ArithmeticException("at 3");
                }
                return x % 2 == 0;
            }));
            assertEquals(List.of(1, 3, 4), new ArrayList<>(q), "0 and 2 removed, each its own step; 3 and on kept");
            assertEquals(3, q.size());
            assertTrue(q.containsAll(List.of(1, 3, 4)));
            assertFalse(q.containsAll(List.of(1, 2)));
        }
    }

    /** Threads put, find and remove one value while another keeps streaming: nothing else ever appears. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void threadsAddingRemovingAndTraversingAtOnce(QueueConfig c) throws Exception {
        try (SharedQueue<Integer> q = c.create(dir, "race", Codecs.int32())) {
            AtomicBoolean done = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                List<Future<?>> workers = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    int value = 100 + t;
                    int how = t;
                    workers.add(pool.submit(() -> {
                        for (int round = 0; !done.get(); round++) {
                            // put, not add: a record removed from the middle keeps its bytes until the head
                            // passes it, so a small ring can be full by bytes with two messages queued.
                            q.put(value);
                            assertTrue(q.contains(value));
                            switch ((round + how) % 3) {
                                case 0:
                                    assertTrue(q.remove(value));
                                    break;
                                case 1:
                                    assertTrue(q.removeIf(x -> x == value));
                                    break;
                                default:
                                    for (Iterator<Integer> it = q.iterator(); ; ) {
                                        if (it.next() == value) {
                                            it.remove();
                                            break;
                                        }
                                    }
                            }
                            assertFalse(q.contains(value));
                        }
                        return null;
                    }));
                }
                workers.add(pool.submit(() -> {
                    while (!done.get()) {
                        q.stream().forEach(x -> assertTrue(x == 100 || x == 101, "unexpected " + x));
                        assertTrue(q.size() <= 2);
                        Thread.sleep(0, 100_000);
                    }
                    return null;
                }));
                Thread.sleep(c.spins() ? 200 : 500);
                done.set(true);
                for (Future<?> f : workers) {
                    f.get(30, TimeUnit.SECONDS);
                }
            } finally {
                done.set(true);
                pool.shutdownNow();
                assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
            }
            assertTrue(q.isEmpty());
            assertEquals(0, q.size());
        }
    }
}
