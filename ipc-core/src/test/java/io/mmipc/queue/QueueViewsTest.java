package io.mmipc.queue;

import io.mmipc.codec.Codecs;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16 in one JVM, on every queue configuration: the weakly consistent iterator and the views built on it,
 * removal from the middle (sizes, joinable task counts, side files, takes skipping removed records), the
 * bounded {@code toString}, an honest {@code remainingCapacity}, zero-timeout interrupts and saturating
 * timeouts. Across processes: {@link QueueViewsCrossProcessTest}.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class QueueViewsTest {
    private Path dir;

    static Stream<QueueConfig> configs() {
        return QueueConfig.all().stream();
    }

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("views");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestDirs.delete(dir);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void iteratorIsInQueueOrderSkipsWhatWasTakenAndSeesLaterPuts(QueueConfig c) throws Exception {
        try (SharedQueue<Integer> q = c.create(dir, "it", Codecs.int32())) {
            for (int i = 0; i < 4; i++) {
                q.put(i);
            }
            Iterator<Integer> it = q.iterator();
            assertTrue(it.hasNext());
            assertEquals(0, it.next());
            assertEquals(0, q.take());
            assertEquals(1, q.take(), "taken before the iterator reached it");
            q.put(4);
            List<Integer> rest = new ArrayList<>();
            it.forEachRemaining(rest::add);
            assertEquals(List.of(2, 3, 4), rest, "1 was taken since: skipped; 4 was put since: seen");
            assertFalse(it.hasNext());
            q.put(5);
            assertFalse(it.hasNext(), "an exhausted iterator stays exhausted");
            assertThrows(NoSuchElementException.class, it::next);
            assertEquals(List.of(2, 3, 4, 5), q.stream().collect(Collectors.toList()));
            assertEquals(4, q.size(), "iterating takes nothing");
            Spliterator<Integer> s = q.spliterator();
            assertTrue(s.hasCharacteristics(Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.CONCURRENT));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void removalFromTheMiddleKeepsSizeExactAndConsumersSkipIt(QueueConfig c) throws Exception {
        try (SharedQueue<String> q = c.create(dir, "rm", Codecs.string())) {
            for (String s : List.of("a", "b", "c", "b", "d")) {
                q.put(s);
            }
            assertTrue(q.contains("b"));
            assertFalse(q.contains("z"));
            assertFalse(q.contains(null));
            assertFalse(q.remove(null));
            assertTrue(q.remove("b"));
            assertEquals(4, q.size());
            assertEquals(4, q.qsize());
            assertEquals("[a, c, b, d]", q.toString());
            assertTrue(q.removeIf(s -> s.equals("c")));
            assertEquals(3, q.size());
            assertArrayEquals(new Object[] {"a", "b", "d"}, q.toArray());
            String[] big = new String[5];
            assertSame(big, q.toArray(big));
            assertArrayEquals(new String[] {"a", "b", "d", null, null}, big);
            assertEquals("a", q.take());
            assertEquals("b", q.take(), "the take skipped the removed records without losing its place");
            assertTrue(q.remove("d"));
            assertTrue(q.isEmpty());
            assertEquals(0, q.size());
            assertNull(q.poll());
            assertEquals("[]", q.toString());
            int n = c.minimalMessagesThatFit();
            for (int i = 0; i < n; i++) {
                assertTrue(q.offer("m"), "the ring's space came back: " + i + " of " + n);
            }
            assertFalse(q.offer("m"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void iteratorRemoveRemovesExactlyTheReturnedMessage(QueueConfig c) throws Exception {
        try (SharedQueue<Integer> q = c.create(dir, "itrm", Codecs.int32())) {
            for (int i = 0; i < 5; i++) {
                q.put(i % 3);
            }
            Iterator<Integer> it = q.iterator();
            assertThrows(IllegalStateException.class, it::remove);
            while (it.hasNext()) {
                if (it.next() == 1) {
                    it.remove();
                    assertThrows(IllegalStateException.class, it::remove);
                }
            }
            assertEquals(List.of(0, 2, 0), new ArrayList<>(q));
            Iterator<Integer> stale = q.iterator();
            assertEquals(0, stale.next());
            assertEquals(0, q.take());
            stale.remove();
            assertEquals(2, q.size(), "removing a message another consumer took since removes nothing");
            assertTrue(q.retainAll(List.of(2)));
            assertEquals(List.of(2), new ArrayList<>(q));
            assertTrue(q.removeAll(List.of(2)));
            assertTrue(q.isEmpty());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void removedMessageCountsAsDoneInAJoinableQueue(QueueConfig c) throws Exception {
        if (!c.joinable) {
            return;
        }
        try (SharedJoinableQueue<String> q = (SharedJoinableQueue<String>) c.create(dir, "j", Codecs.string())) {
            q.put("a");
            q.put("b");
            q.put("c");
            assertEquals(3, q.unfinishedTasks());
            assertTrue(q.remove("b"));
            assertEquals(2, q.unfinishedTasks());
            assertEquals("a", q.take());
            q.taskDone();
            assertTrue(q.remove("c"));
            assertEquals(0, q.unfinishedTasks());
            assertTrue(q.join(Duration.ofSeconds(10)), "join returns: every task done or removed");
            assertThrows(IllegalStateException.class, q::taskDone, "a removed task cannot be marked done again");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void bytesCompareByContentAndRemovedSideFilesAreDeleted(QueueConfig c) throws Exception {
        try (SharedQueue<byte[]> q = c.create(dir, "bytes", Codecs.bytes())) {
            byte[] small = {1, 2, 3};
            byte[] large = new byte[c.maxInline() + 100];
            large[7] = 7;
            q.put(small);
            q.put(large);
            q.put(small.clone());
            assertEquals(1, TestDirs.spillFiles(dir));
            assertTrue(q.contains(new byte[] {1, 2, 3}), "arrays compare by content");
            assertTrue(q.contains(large.clone()));
            assertTrue(q.remove(large.clone()));
            assertEquals(0, TestDirs.spillFiles(dir), "a removed spilled message's side file is deleted");
            assertEquals(2, q.size());
            assertArrayEquals(small, q.take());
            assertArrayEquals(small, q.take());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void removingFromAFullQueueWakesABlockedPut(QueueConfig c) throws Exception {
        try (SharedQueue<Integer> q = c.create(dir, "wake", Codecs.int32())) {
            int n = c.minimalMessagesThatFit();
            for (int i = 0; i < n; i++) {
                q.put(i);
            }
            CompletableFuture<Void> put = CompletableFuture.runAsync(() -> {
                try {
                    q.put(-1);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(50);
            assertFalse(put.isDone(), "the put waits for room");
            assertTrue(q.remove(0), "the head");
            put.get(20, TimeUnit.SECONDS);
            CompletableFuture<Void> second = CompletableFuture.runAsync(() -> {
                try {
                    q.put(-2);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(50);
            assertFalse(second.isDone());
            assertTrue(q.remove(n / 2), "from the middle");
            if (c.maxSize > 0) {
                second.get(20, TimeUnit.SECONDS); // a place under maxsize is free at once
            } else {
                assertEquals(1, q.take(), "by bytes the slots come back when the head passes");
                second.get(20, TimeUnit.SECONDS);
            }
            assertEquals(c.maxSize > 0 ? n : n - 1, q.size());
        }
    }

    @Test
    void aSpilledMessageWhoseSideFileIsGoneIsReportedByNextAndTheIterationGoesOn() throws Exception {
        QueueConfig tiny = QueueConfig.all().get(0);
        try (SharedQueue<byte[]> q = tiny.create(dir, "lost", Codecs.bytes())) {
            q.put(new byte[] {1});
            q.put(new byte[tiny.maxInline() + 1]);
            q.put(new byte[] {3});
            try (Stream<Path> files = java.nio.file.Files.list(dir)) {
                for (Path f : (Iterable<Path>) files.filter(f -> f.toString().contains(".spill-"))::iterator) {
                    java.nio.file.Files.delete(f);
                }
            }
            Iterator<byte[]> it = q.iterator();
            assertArrayEquals(new byte[] {1}, it.next());
            assertTrue(it.hasNext());
            RuntimeException e = assertThrows(RuntimeException.class, it::next);
            assertTrue(String.valueOf(e.getMessage()).contains("spill file missing"), String.valueOf(e));
            assertArrayEquals(new byte[] {3}, it.next(), "the iteration goes on past it");
            assertFalse(it.hasNext());
            assertEquals(3, q.size(), "iterating removes nothing");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void remainingCapacityIsHonestWhenBoundedByBytes(QueueConfig c) throws Exception {
        try (SharedQueue<Integer> q = c.create(dir, "cap", Codecs.int32())) {
            int empty = q.remainingCapacity();
            assertTrue(empty > 0 && empty < Integer.MAX_VALUE, "empty=" + empty);
            assertEquals(c.minimalMessagesThatFit(), empty);
            q.put(1);
            assertEquals(empty - 1, q.remainingCapacity());
            q.put(2);
            assertEquals(empty - 2, q.remainingCapacity());
            q.clear();
            assertEquals(empty, q.remainingCapacity(), "back to the same value when drained");
        }
    }

    /** Slot positions wrap at 2^40: iteration, cursors and removal must not care (see RingWrapAroundTest). */
    @Test
    void iterationAndRemovalWorkAcrossThePositionWrap() throws Exception {
        long wrap = 1L << 40;
        try (SharedQueue<Integer> q = SharedQueue.builder("wrap", Codecs.int32()).directory(dir).capacity(1024)
                .slotSize(64).startPositions(wrap - 40, 0).create()) {
            int next = 0;
            int expected = 0;
            for (int lap = 0; lap < 8; lap++) {
                for (int i = 0; i < 10; i++) {
                    q.put(next++);
                }
                Iterator<Integer> it = q.iterator();
                List<Integer> seen = new ArrayList<>();
                while (it.hasNext()) {
                    int v = it.next();
                    seen.add(v);
                    if (v % 2 == 1) {
                        it.remove();
                    }
                }
                List<Integer> want = new ArrayList<>();
                for (int v = expected; v < next; v++) {
                    want.add(v);
                }
                assertEquals(want, seen, "lap " + lap);
                assertEquals(5, q.size());
                for (int v = expected; v < next; v += 2) {
                    assertEquals(v, q.take());
                }
                expected = next;
                assertTrue(q.isEmpty());
                assertEquals(16, q.remainingCapacity(), "all space back");
            }
        }
    }

    @Test
    void toStringIsBoundedForHugeQueues() throws Exception {
        try (SharedQueue<Integer> q = SharedQueue.builder("huge", Codecs.int32()).directory(dir)
                .capacity(1 << 20).slotSize(16).create()) {
            int n = SharedQueue.TO_STRING_MAX_ITEMS + 500;
            for (int i = 0; i < n; i++) {
                q.put(i);
            }
            String s = q.toString();
            assertTrue(s.startsWith("[0, 1, 2, "), s.substring(0, 20));
            assertTrue(s.endsWith(", " + (SharedQueue.TO_STRING_MAX_ITEMS - 1) + ", ...]"),
                    s.substring(s.length() - 30));
            q.close();
            assertTrue(q.toString().endsWith("[closed]"), q.toString());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void timedCallsWithZeroOrNegativeTimeoutStillThrowWhenInterrupted(QueueConfig c) throws Exception {
        try (SharedQueue<Integer> q = c.create(dir, "intr", Codecs.int32())) {
            q.put(1);
            List<Executable> calls = List.of(() -> q.poll(0, TimeUnit.SECONDS), () -> q.poll(-1, TimeUnit.SECONDS),
                    () -> q.offer(2, 0, TimeUnit.SECONDS), () -> q.offer(2, -1, TimeUnit.SECONDS),
                    () -> q.get(Duration.ZERO), () -> q.put(2, Duration.ofSeconds(-1)));
            for (Executable call : calls) {
                Thread.currentThread().interrupt();
                assertThrows(InterruptedException.class, call);
                assertFalse(Thread.interrupted(), "interrupt status cleared by the throw");
            }
            assertEquals(1, q.size(), "nothing was taken or put by the interrupted calls");
        } finally {
            Thread.interrupted();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void timeoutsTooLongForNanosecondsSaturate(QueueConfig c) throws Exception {
        try (SharedQueue<Integer> q = c.create(dir, "sat", Codecs.int32())) {
            Duration forever = Duration.ofSeconds(Long.MAX_VALUE);
            q.put(1, forever);
            assertTrue(q.offer(2, Long.MAX_VALUE, TimeUnit.DAYS));
            assertEquals(1, q.get(forever));
            assertEquals(2, q.poll(Long.MAX_VALUE, TimeUnit.DAYS));
            assertNull(q.poll(Long.MIN_VALUE, TimeUnit.DAYS));
            assertThrows(QueueEmptyException.class, () -> q.get(Duration.ofSeconds(Long.MIN_VALUE)));
            assertEquals(-1, q.pollBytes(ByteBuffer.allocate(8), Duration.ofSeconds(Long.MIN_VALUE)));
        }
    }
}
