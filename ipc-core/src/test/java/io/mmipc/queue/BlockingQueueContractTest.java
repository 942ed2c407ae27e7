package io.mmipc.queue;

import io.mmipc.codec.Codecs;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The {@link java.util.concurrent.BlockingQueue} contract, to the letter, plus Python's queue semantics, on every
 * queue configuration of {@link QueueConfig#all()}. Single JVM; the cross-process behaviour is in
 * {@link CrossProcessQueueTest}, {@link KillSafetyTest} and {@link JoinableQueueTest}; the whole-queue views
 * (iteration, removal from the middle) in {@link QueueViewsTest} and {@link GuavaQueueSuiteTest}.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BlockingQueueContractTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long MS = 1_000_000L;

    private Path dir;

    static Stream<QueueConfig> configs() {
        return QueueConfig.all().stream();
    }

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("contract");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestDirs.delete(dir);
    }

    private SharedQueue<Integer> ints(QueueConfig c) throws Exception {
        return c.create(dir, "ints", Codecs.int32());
    }

    private SharedQueue<String> strings(QueueConfig c) throws Exception {
        return c.create(dir, "strings", Codecs.string());
    }

    private static void assertNamesQueue(RuntimeException e, String name) {
        assertTrue(e.getMessage() != null && e.getMessage().contains("'" + name + "'"), e.getMessage());
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / MS;
    }

    // ------------------------------------------------------------------ inserts: null, full, timeouts

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void nullIsRejectedByEveryInsertMethodEvenWhenFull(QueueConfig c) throws Exception {
        try (SharedQueue<String> q = strings(c)) {
            for (int round = 0; round < 2; round++) {
                assertThrows(NullPointerException.class, () -> q.add(null));
                assertThrows(NullPointerException.class, () -> q.offer(null));
                assertThrows(NullPointerException.class, () -> q.offer(null, 10, TimeUnit.MILLISECONDS));
                assertThrows(NullPointerException.class, () -> q.put(null));
                assertThrows(NullPointerException.class, () -> q.put(null, Duration.ofMillis(10)));
                assertThrows(NullPointerException.class, () -> q.putNowait(null));
                assertThrows(NullPointerException.class, () -> q.addAll(null));
                assertThrows(NullPointerException.class, () -> q.drainTo(null));
                assertThrows(NullPointerException.class, () -> q.drainTo(null, 1));
                // Round 2: the same on a full queue (a null check must come before "full").
                while (q.offer("x")) {
                    // fill
                }
            }
            int full = q.qsize();
            q.clear();
            // AbstractQueue.addAll: elements before the null are added, then NPE.
            assertThrows(NullPointerException.class, () -> q.addAll(Arrays.asList("a", null, "b")));
            assertEquals(1, q.qsize());
            assertEquals("a", q.take());
            assertTrue(full >= c.minimalMessagesThatFit() / 2, "full=" + full);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void fullQueueRefusesEachInsertAsSpecifiedAndTimedOnesWaitTheirTimeout(QueueConfig c) throws Exception {
        try (SharedQueue<Integer> q = ints(c)) {
            int n = c.minimalMessagesThatFit();
            for (int i = 0; i < n; i++) {
                assertEquals(i, q.qsize());
                assertFalse(q.full(), "full after " + i + " of " + n);
                assertTrue(q.offer(i), "offer " + i + " of " + n);
            }
            assertEquals(n, q.qsize());
            assertEquals(n, q.size());
            assertTrue(q.full());
            assertFalse(q.empty());
            assertFalse(q.isEmpty());
            assertEquals(0, q.remainingCapacity(), "full by maxsize or by bytes (one slot per message)");

            assertFalse(q.offer(-1));
            IllegalStateException add = assertThrows(IllegalStateException.class, () -> q.add(-1));
            assertNamesQueue(add, "ints");
            assertNamesQueue(assertThrows(QueueFullException.class, () -> q.putNowait(-1)), "ints");
            assertFalse(q.offer(-1, 0, TimeUnit.MILLISECONDS));
            assertFalse(q.offer(-1, -5, TimeUnit.SECONDS));
            assertThrows(QueueFullException.class, () -> q.put(-1, Duration.ZERO));

            long t0 = System.nanoTime();
            assertFalse(q.offer(-1, 60, TimeUnit.MILLISECONDS));
            long waited = millisSince(t0);
            assertTrue(waited >= 60 && waited < 10_000, "offer(60 ms) returned after " + waited + " ms");
            t0 = System.nanoTime();
            assertThrows(QueueFullException.class, () -> q.put(-1, Duration.ofMillis(40)));
            waited = millisSince(t0);
            assertTrue(waited >= 40 && waited < 10_000, "put(40 ms) returned after " + waited + " ms");
            assertEquals(n, q.qsize(), "a refused insert must leave nothing behind");

            // One out, one in: exactly one slot frees up.
            assertEquals(0, q.remove());
            assertFalse(q.full());
            assertEquals(1, q.remainingCapacity());
            assertTrue(q.add(n));
            assertTrue(q.full());
            assertFalse(q.offer(-1));
            for (int i = 1; i <= n; i++) {
                assertEquals(i, q.element());
                assertEquals(i, q.peek());
                assertEquals(i, q.remove());
            }
            assertTrue(q.isEmpty());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void emptyQueueAnswersEachRemovalAsSpecifiedAndTimedOnesWaitTheirTimeout(QueueConfig c) throws Exception {
        try (SharedQueue<Integer> q = ints(c)) {
            assertTrue(q.isEmpty());
            assertTrue(q.empty());
            assertFalse(q.full());
            assertEquals(0, q.size());
            assertEquals(0, q.qsize());
            assertThrows(NoSuchElementException.class, q::remove);
            assertThrows(NoSuchElementException.class, q::element);
            assertNull(q.poll());
            assertNull(q.peek());
            assertNamesQueue(assertThrows(QueueEmptyException.class, q::getNowait), "ints");
            assertNull(q.poll(0, TimeUnit.SECONDS));
            assertNull(q.poll(-1, TimeUnit.SECONDS));
            assertThrows(QueueEmptyException.class, () -> q.get(Duration.ZERO));

            long t0 = System.nanoTime();
            assertNull(q.poll(60, TimeUnit.MILLISECONDS));
            long waited = millisSince(t0);
            assertTrue(waited >= 60 && waited < 10_000, "poll(60 ms) returned after " + waited + " ms");
            t0 = System.nanoTime();
            assertThrows(QueueEmptyException.class, () -> q.get(Duration.ofMillis(40)));
            waited = millisSince(t0);
            assertTrue(waited >= 40 && waited < 10_000, "get(40 ms) returned after " + waited + " ms");
            t0 = System.nanoTime();
            assertEquals(-1, q.pollBytes(ByteBuffer.allocate(16), Duration.ofMillis(30)));
            assertFalse(q.read(m -> fail("nothing to read"), Duration.ofMillis(30)));
            assertTrue(millisSince(t0) >= 60);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void timedGetAndPutReturnAsSoonAsTheyCanNotAtTheirTimeout(QueueConfig c) throws Exception {
        try (SharedQueue<Integer> q = ints(c)) {
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                long t0 = System.nanoTime();
                Future<Integer> got = pool.submit(() -> q.get(WAIT));
                Thread.sleep(50);
                q.put(7);
                assertEquals(7, got.get(WAIT.toSeconds(), TimeUnit.SECONDS));
                assertTrue(millisSince(t0) < WAIT.toMillis() / 2);

                int n = c.minimalMessagesThatFit();
                for (int i = 0; i < n; i++) {
                    q.put(i);
                }
                t0 = System.nanoTime();
                Future<?> put = pool.submit(() -> {
                    q.put(n, WAIT);
                    return null;
                });
                Thread.sleep(50);
                assertEquals(0, q.get());
                put.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertTrue(millisSince(t0) < WAIT.toMillis() / 2);
                assertEquals(n, q.qsize());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    // ------------------------------------------------------------------ bulk operations

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void drainToMovesInOrderHonoursMaxElementsAndRefusesItself(QueueConfig c) throws Exception {
        try (SharedQueue<Integer> q = ints(c); SharedQueue<Integer> sameQueue = c.builder(dir, "ints",
                Codecs.int32()).open()) {
            int n = Math.min(10, c.minimalMessagesThatFit());
            for (int i = 0; i < n; i++) {
                q.put(i);
            }
            List<Integer> out = new ArrayList<>();
            assertEquals(3, q.drainTo(out, 3));
            assertEquals(List.of(0, 1, 2), out);
            assertEquals(0, q.drainTo(out, 0));
            assertEquals(0, q.drainTo(out, -1));
            assertEquals(n - 3, q.qsize());
            assertThrows(IllegalArgumentException.class, () -> q.drainTo(q));
            assertThrows(IllegalArgumentException.class, () -> q.drainTo(q, 1));
            // Another handle on the same queue is the same queue: draining into it would never end.
            assertThrows(IllegalArgumentException.class, () -> q.drainTo(sameQueue));
            assertThrows(IllegalArgumentException.class, () -> q.drainTo(sameQueue, 5));
            assertEquals(n - 3, q.qsize());
            assertEquals(n - 3, q.drainTo(out));
            assertEquals(0, q.drainTo(out));
            for (int i = 0; i < n; i++) {
                assertEquals(i, out.get(i));
            }
            assertTrue(q.isEmpty());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void addAllFollowsAbstractQueue(QueueConfig c) throws Exception {
        try (SharedQueue<Integer> q = ints(c)) {
            assertFalse(q.addAll(List.of()));
            assertTrue(q.addAll(List.of(1, 2, 3)));
            assertEquals(3, q.size());
            assertThrows(IllegalArgumentException.class, () -> q.addAll(q));
            q.clear();
            int n = c.minimalMessagesThatFit();
            List<Integer> tooMany = new ArrayList<>();
            for (int i = 0; i < n + 2; i++) {
                tooMany.add(i);
            }
            assertThrows(IllegalStateException.class, () -> q.addAll(tooMany));
            assertEquals(n, q.size(), "every element that fitted was added, in order");
            for (int i = 0; i < n; i++) {
                assertEquals(i, q.remove());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void sizeIsEmptyAndClearAreExact(QueueConfig c) throws Exception {
        try (SharedQueue<String> q = strings(c); SharedQueue<String> other = c.builder(dir, "strings",
                Codecs.string()).open()) {
            q.clear();
            for (int i = 1; i <= 4; i++) {
                q.put("s" + i);
                assertEquals(i, q.size());
                assertEquals(i, other.qsize());
                assertFalse(other.isEmpty());
            }
            assertEquals("s1", other.peek());
            assertEquals(4, q.size(), "peek does not take");
            other.clear();
            assertEquals(0, q.size());
            assertTrue(q.isEmpty());
            assertTrue(q.empty());
            assertNull(q.peek());
        }
    }

    // ------------------------------------------------------------------ interrupts

    /** Runs {@code call} in a new thread, lets it block, interrupts it, and returns what it threw. */
    private static Throwable blockThenInterrupt(Callable<?> call) throws Exception {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        boolean[] clearedAfter = new boolean[1];
        Thread t = new Thread(() -> {
            try {
                call.call();
                outcome.complete(null);
            } catch (Throwable e) {
                clearedAfter[0] = !Thread.currentThread().isInterrupted();
                outcome.complete(e);
            }
        }, "blocked-caller");
        t.start();
        Thread.sleep(100);
        assertFalse(outcome.isDone(), "the call should have blocked: " + outcome.getNow(null));
        t.interrupt();
        Throwable thrown = outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        t.join(WAIT.toMillis());
        if (thrown instanceof InterruptedException) {
            assertTrue(clearedAfter[0], "the interrupt status must be cleared when InterruptedException is thrown");
        }
        return thrown;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void blockedCallsThrowInterruptedExceptionWhenInterrupted(QueueConfig c) throws Exception {
        try (SharedQueue<Integer> q = ints(c)) {
            assertInstanceOf(InterruptedException.class, blockThenInterrupt(q::take));
            assertInstanceOf(InterruptedException.class, blockThenInterrupt(q::get));
            assertInstanceOf(InterruptedException.class, blockThenInterrupt(() -> q.poll(1, TimeUnit.MINUTES)));
            assertInstanceOf(InterruptedException.class, blockThenInterrupt(() -> q.get(Duration.ofMinutes(1))));
            assertInstanceOf(InterruptedException.class, blockThenInterrupt(() -> q.takeBytes(ByteBuffer.allocate(8))));
            int n = c.minimalMessagesThatFit();
            for (int i = 0; i < n; i++) {
                q.put(i);
            }
            assertInstanceOf(InterruptedException.class, blockThenInterrupt(() -> {
                q.put(-1);
                return null;
            }));
            assertInstanceOf(InterruptedException.class, blockThenInterrupt(() -> q.offer(-1, 1, TimeUnit.MINUTES)));
            assertInstanceOf(InterruptedException.class, blockThenInterrupt(() -> {
                q.put(-1, Duration.ofMinutes(1));
                return null;
            }));
            assertEquals(n, q.qsize(), "an interrupted put leaves nothing behind");
            for (int i = 0; i < n; i++) {
                assertEquals(i, q.take());
            }
            q.put(42);
            assertEquals(42, q.take());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void callsThatWouldBlockThrowAtOnceWhenAlreadyInterrupted(QueueConfig c) throws Exception {
        try (SharedQueue<Integer> q = ints(c)) {
            List<Executable> onEmpty = List.of(q::take, q::get, () -> q.poll(1, TimeUnit.MINUTES),
                    () -> q.get(Duration.ofMinutes(1)));
            for (Executable call : onEmpty) {
                Thread.currentThread().interrupt();
                long t0 = System.nanoTime();
                assertThrows(InterruptedException.class, call);
                assertTrue(millisSince(t0) < 5_000);
                assertFalse(Thread.interrupted(), "interrupt status cleared by the throw");
            }
            // Calls that never wait leave the flag alone.
            Thread.currentThread().interrupt();
            assertNull(q.poll());
            assertTrue(q.offer(1));
            assertTrue(Thread.interrupted(), "poll()/offer() must not swallow the interrupt status");

            int n = c.minimalMessagesThatFit();
            while (q.qsize() < n) {
                q.put(2);
            }
            List<Executable> onFull = List.of(() -> q.put(-1), () -> q.offer(-1, 1, TimeUnit.MINUTES),
                    () -> q.put(-1, Duration.ofMinutes(1)));
            for (Executable call : onFull) {
                Thread.currentThread().interrupt();
                assertThrows(InterruptedException.class, call);
                assertFalse(Thread.interrupted());
            }
            Thread.currentThread().interrupt();
            assertFalse(q.offer(-1));
            assertTrue(Thread.interrupted());
            assertEquals(n, q.qsize());
        } finally {
            Thread.interrupted();
        }
    }

    /**
     * A consumer that holds the consumer lock for long (a slow {@code read} callback here; a stopped process
     * alike) must not make other consumers' timed gets overrun their timeout, nor their blocked gets deaf to
     * interrupts.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void timeoutsAndInterruptsHoldWhileAnotherConsumerHoldsTheLock(QueueConfig c) throws Exception {
        try (SharedQueue<Integer> q = ints(c)) {
            q.put(1);
            q.put(2);
            java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            CompletableFuture<Boolean> reader = CompletableFuture.supplyAsync(() -> {
                try {
                    return q.read(m -> {
                        holding.countDown();
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }, WAIT);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            try {
                assertTrue(holding.await(WAIT.toSeconds(), TimeUnit.SECONDS));
                long t0 = System.nanoTime();
                assertNull(q.poll(100, TimeUnit.MILLISECONDS), "message 1 is being read, message 2 is behind it");
                long waited = millisSince(t0);
                assertTrue(waited >= 100 && waited < 5_000, "poll(100 ms) returned after " + waited + " ms");
                assertInstanceOf(InterruptedException.class, blockThenInterrupt(q::take));
            } finally {
                release.countDown();
            }
            assertTrue(reader.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertEquals(2, q.take());
        }
    }

    // ------------------------------------------------------------------ ordering and concurrency

    private static String orderedMessage(int i, int maxInline) {
        int length = i % 997 == 0 ? maxInline + 1 + i % 50 : 8 + (i * 7) % 120;
        StringBuilder sb = new StringBuilder(length).append(i).append(':');
        while (sb.length() < length) {
            sb.append((char) ('a' + sb.length() % 26));
        }
        return sb.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void oneProducerThreadsMessagesArriveInOrder(QueueConfig c) throws Exception {
        int count = 20_000;
        try (SharedQueue<String> q = strings(c)) {
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<?> producer = pool.submit(() -> {
                    for (int i = 0; i < count; i++) {
                        q.put(orderedMessage(i, c.maxInline()));
                    }
                    return null;
                });
                for (int i = 0; i < count; i++) {
                    String m = q.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    assertEquals(orderedMessage(i, c.maxInline()), m, "message " + i);
                }
                producer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertTrue(q.isEmpty());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void manyProducerAndConsumerThreadsDeliverEachMessageExactlyOnce(QueueConfig c) throws Exception {
        int producers = 4;
        int consumers = 3;
        int perProducer = c.spins() ? 2_000 : 5_000;
        List<SharedQueue<Integer>> handles = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(producers + consumers);
        try {
            SharedQueue<Integer> first = ints(c);
            handles.add(first);
            List<Future<?>> producing = new ArrayList<>();
            List<Future<List<Integer>>> consuming = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                // Producers 0 and 1 share a handle; the others open their own (same process, same registry entry).
                SharedQueue<Integer> q = p < 2 ? first : c.builder(dir, "ints", Codecs.int32()).open();
                if (q != first) {
                    handles.add(q);
                }
                int id = p;
                producing.add(pool.submit(() -> {
                    for (int i = 0; i < perProducer; i++) {
                        q.put(id * 1_000_000 + i);
                    }
                    return null;
                }));
            }
            for (int k = 0; k < consumers; k++) {
                SharedQueue<Integer> q = k == 0 ? first : c.builder(dir, "ints", Codecs.int32()).open();
                if (q != first) {
                    handles.add(q);
                }
                consuming.add(pool.submit(() -> {
                    List<Integer> got = new ArrayList<>();
                    while (true) {
                        Integer m;
                        try {
                            m = q.take();
                        } catch (QueueShutdownException e) {
                            return got;
                        }
                        got.add(m);
                        if (q instanceof SharedJoinableQueue) {
                            ((SharedJoinableQueue<Integer>) q).taskDone();
                        }
                    }
                }));
            }
            for (Future<?> f : producing) {
                f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            if (first instanceof SharedJoinableQueue) {
                // Every task is done once the consumers have taken and finished everything.
                assertTrue(((SharedJoinableQueue<Integer>) first).join(WAIT));
                assertEquals(0, first.qsize());
            }
            first.shutdown();
            Set<Integer> all = new HashSet<>();
            int total = 0;
            for (Future<List<Integer>> f : consuming) {
                List<Integer> got = f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                int[] last = new int[producers];
                Arrays.fill(last, -1);
                for (int m : got) {
                    int p = m / 1_000_000;
                    int seq = m % 1_000_000;
                    assertTrue(seq > last[p], "producer " + p + "'s messages out of order: " + seq + " after " + last[p]);
                    last[p] = seq;
                    assertTrue(all.add(m), "delivered twice: " + m);
                }
                total += got.size();
            }
            assertEquals(producers * perProducer, total);
            assertEquals(producers * perProducer, all.size());
        } finally {
            pool.shutdownNow();
            for (SharedQueue<Integer> q : handles) {
                q.close();
            }
        }
    }

    // ------------------------------------------------------------------ shutdown

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void shutdownRefusesPutsAndLetsGetsDrainThenThrow(QueueConfig c) throws Exception {
        try (SharedQueue<String> q = strings(c)) {
            q.put("a");
            q.put("b");
            q.put("c");
            q.shutdown();
            assertTrue(q.isShutdown());
            assertNamesQueue(assertThrows(QueueShutdownException.class, () -> q.put("x")), "strings");
            assertThrows(QueueShutdownException.class, () -> q.offer("x"));
            assertThrows(QueueShutdownException.class, () -> q.add("x"));
            assertThrows(QueueShutdownException.class, () -> q.putNowait("x"));
            assertEquals(3, q.qsize());
            assertEquals("a", q.get());
            assertEquals("b", q.poll());
            assertEquals("c", q.take());
            long t0 = System.nanoTime();
            assertThrows(QueueShutdownException.class, q::get);
            assertThrows(QueueShutdownException.class, () -> q.poll(1, TimeUnit.MINUTES));
            assertThrows(QueueShutdownException.class, q::getNowait);
            assertTrue(millisSince(t0) < 5_000, "gets on a drained, shut-down queue fail at once");
            try (SharedQueue<String> later = c.builder(dir, "strings", Codecs.string()).open()) {
                assertTrue(later.isShutdown(), "shutdown is a property of the queue, not the handle");
                assertThrows(QueueShutdownException.class, () -> later.put("x"));
            }
            q.shutdown(false);
            assertTrue(q.isShutdown());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void immediateShutdownDiscardsAndCountsDiscardedTasksDone(QueueConfig c) throws Exception {
        try (SharedQueue<String> q = strings(c)) {
            for (int i = 0; i < Math.min(5, c.minimalMessagesThatFit()); i++) {
                q.put("m" + i);
            }
            q.shutdown(true);
            assertEquals(0, q.qsize());
            assertThrows(QueueShutdownException.class, q::get);
            assertThrows(QueueShutdownException.class, () -> q.put("x"));
            q.shutdown(false);
            assertThrows(QueueShutdownException.class, q::get, "a later plain shutdown does not undo immediate");
            if (q instanceof SharedJoinableQueue) {
                SharedJoinableQueue<String> j = (SharedJoinableQueue<String>) q;
                assertEquals(0, j.unfinishedTasks());
                assertTrue(j.join(Duration.ofSeconds(5)));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void shutdownWakesBlockedGettersAndPutters(QueueConfig c) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try (SharedQueue<Integer> q = ints(c); SharedQueue<Integer> other = c.builder(dir, "ints",
                Codecs.int32()).open()) {
            Future<Integer> g1 = pool.submit(() -> q.take());
            Future<Integer> g2 = pool.submit(() -> other.poll(1, TimeUnit.MINUTES));
            Thread.sleep(100);
            assertFalse(g1.isDone() || g2.isDone());
            long t0 = System.nanoTime();
            q.shutdown();
            for (Future<Integer> f : List.of(g1, g2)) {
                java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                        () -> f.get(WAIT.toSeconds(), TimeUnit.SECONDS));
                assertInstanceOf(QueueShutdownException.class, e.getCause());
            }
            assertTrue(millisSince(t0) < 5_000);
        } finally {
            pool.shutdownNow();
        }
        // A putter blocked on a full queue wakes too, and the getters still drain what is there.
        pool = Executors.newFixedThreadPool(1);
        try (SharedQueue<Integer> q = c.create(dir, "full", Codecs.int32())) {
            int n = c.minimalMessagesThatFit();
            for (int i = 0; i < n; i++) {
                q.put(i);
            }
            Future<?> putter = pool.submit(() -> {
                q.put(-1);
                return null;
            });
            Thread.sleep(100);
            assertFalse(putter.isDone());
            q.shutdown();
            java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> putter.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertInstanceOf(QueueShutdownException.class, e.getCause());
            for (int i = 0; i < n; i++) {
                assertEquals(i, q.get());
            }
            assertThrows(QueueShutdownException.class, q::get);
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ message sizes

    private static byte[] randomBytes(Random rnd, int size) {
        byte[] b = new byte[size];
        rnd.nextBytes(b);
        return b;
    }

    private long spillFiles() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().contains(".spill-")).count();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void messagesOfEverySizeFromZeroToSeveralTimesTheRingArriveIntact(QueueConfig c) throws Exception {
        Random rnd = new Random(c.name.hashCode());
        int maxInline = c.maxInline();
        try (SharedQueue<byte[]> q = c.create(dir, "sizes", Codecs.bytes())) {
            assertEquals(maxInline, q.maxInlineMessage());
            // Every size up to a little past the inline limit (capped for the big rings), one at a time.
            int every = Math.min(maxInline + 2 * c.slotSize, 3000);
            for (int size = 0; size <= every; size++) {
                byte[] m = randomBytes(rnd, size);
                q.put(m);
                assertArrayEquals(m, q.take(), "size " + size);
            }
            int cap = (int) c.capacity;
            int[] edges = {0, 1, c.slotSize - 9, c.slotSize - 8, c.slotSize - 7, c.slotSize, 2 * c.slotSize + 3,
                maxInline - 1, maxInline, maxInline + 1, maxInline + c.slotSize, cap - 1, cap, cap + 1, 3 * cap + 5};
            for (int size : edges) {
                byte[] m = randomBytes(rnd, size);
                q.put(m);
                assertEquals(1, q.qsize());
                assertArrayEquals(m, q.peek(), "peek, size " + size);
                assertArrayEquals(m, q.take(), "size " + size);
            }
            // The byte paths, with a spilled message among them.
            ByteBuffer direct = ByteBuffer.allocateDirect(maxInline + 100);
            for (int size : new int[] {0, 5, maxInline, maxInline + 100}) {
                byte[] m = randomBytes(rnd, size);
                direct.clear();
                direct.put(m).flip();
                q.putBytes(direct);
                ByteBuffer dst = ByteBuffer.allocate(size + 3);
                dst.position(3);
                assertEquals(size, q.takeBytes(dst));
                assertArrayEquals(m, Arrays.copyOfRange(dst.array(), 3, 3 + size));
                q.putBytes(m, 0, size);
                byte[][] read = new byte[1][];
                assertTrue(q.read(buf -> {
                    read[0] = new byte[buf.remaining()];
                    buf.get(read[0]);
                }, WAIT));
                assertArrayEquals(m, read[0]);
            }
            // A mixed stream larger than the ring, taken while it is being put.
            int count = 300;
            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int size = i % 50 == 0 ? maxInline + 1 + rnd.nextInt(3 * cap) : rnd.nextInt(Math.min(maxInline, 4000) + 1);
                sent.add(randomBytes(rnd, size));
            }
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<?> producer = pool.submit(() -> {
                    for (byte[] m : sent) {
                        q.put(m);
                    }
                    return null;
                });
                for (int i = 0; i < count; i++) {
                    assertArrayEquals(sent.get(i), q.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS), "message " + i);
                }
                producer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }
            assertTrue(q.isEmpty());
            assertEquals(0, spillFiles(), "side files of taken messages are deleted");
        }
    }
}
