package io.mmipc.queue;

import io.mmipc.codec.Codec;
import io.mmipc.codec.CodecException;
import io.mmipc.codec.Codecs;
import io.mmipc.testing.ChildJvm;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every built-in codec through a queue, and what happens to a message that cannot be decoded. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class QueueCodecTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("codec");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestDirs.delete(dir);
    }

    private <T> void roundTrip(String name, Codec<T> codec, List<T> values) throws Exception {
        try (SharedQueue<T> q = SharedQueue.builder(name, codec).directory(dir).capacity(4096).create()) {
            for (T v : values) {
                q.put(v);
                assertEquals(v, q.take(), name);
            }
        }
    }

    @Test
    void everyFixedSizeAndTextCodecRoundTrips() throws Exception {
        roundTrip("i32", Codecs.int32(), List.of(0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE));
        roundTrip("i64", Codecs.int64(), List.of(0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE));
        roundTrip("f64", Codecs.float64(), List.of(0.0, -0.0, Double.NaN, Double.NEGATIVE_INFINITY, Math.PI));
        roundTrip("f32", Codecs.float32(), List.of(0f, Float.NaN, Float.MIN_VALUE, -1.5f));
        roundTrip("i16", Codecs.int16(), List.of((short) 0, Short.MIN_VALUE, Short.MAX_VALUE));
        roundTrip("i8", Codecs.int8(), List.of((byte) 0, Byte.MIN_VALUE, Byte.MAX_VALUE));
        roundTrip("chr", Codecs.character(), List.of('a', '\u0000', '\uffff', 'é'));
        roundTrip("bool", Codecs.bool(), List.of(true, false));
        String big = "x".repeat(10_000);
        roundTrip("str", Codecs.string(), List.of("", "plain", "ünïcødé ✓ 😀 中文", big));
    }

    @Test
    void byteCodecsCarryExactlyPositionToLimit() throws Exception {
        try (SharedQueue<ByteBuffer> q = SharedQueue.builder("bb", Codecs.byteBuffer()).directory(dir).capacity(4096)
                .create()) {
            ByteBuffer heap = ByteBuffer.wrap(new byte[] {9, 1, 2, 3, 9}, 1, 3);
            q.put(heap);
            assertEquals(1, heap.position(), "the caller's buffer is not consumed");
            assertEquals(ByteBuffer.wrap(new byte[] {1, 2, 3}), q.take());
            ByteBuffer direct = ByteBuffer.allocateDirect(3000);
            for (int i = 0; i < 3000; i++) {
                direct.put((byte) i);
            }
            direct.flip().position(10);
            q.put(direct.asReadOnlyBuffer());
            ByteBuffer got = q.take();
            assertEquals(2990, got.remaining());
            assertEquals(direct, got);
        }
        try (SharedQueue<byte[]> q = SharedQueue.builder("b", Codecs.bytes()).directory(dir).create()) {
            q.put(new byte[0]);
            q.put(new byte[] {-1});
            assertArrayEquals(new byte[0], q.take());
            assertArrayEquals(new byte[] {-1}, q.take());
        }
    }

    /** A serializable value class with a nested one; both must be listed. */
    static final class Order implements Serializable {
        private static final long serialVersionUID = 1L;
        final String id;
        final Line[] lines;

        Order(String id, Line... lines) {
            this.id = id;
            this.lines = lines;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Order && ((Order) o).id.equals(id) && java.util.Arrays.equals(((Order) o).lines, lines);
        }

        @Override
        public int hashCode() {
            return id.hashCode();
        }
    }

    static final class Line implements Serializable {
        private static final long serialVersionUID = 1L;
        final String sku;
        final int qty;

        Line(String sku, int qty) {
            this.sku = sku;
            this.qty = qty;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Line && ((Line) o).sku.equals(sku) && ((Line) o).qty == qty;
        }

        @Override
        public int hashCode() {
            return Objects.hash(sku, qty);
        }
    }

    /** The codec's classes need not be {@code Order}s: {@code Line} is listed beside it. */
    private static Codec<Order> orders(Class<?>... allowed) {
        return Codecs.serializable(allowed);
    }

    /** The error names what the filter refused (the JDK's own exception does not). */
    private static void assertRefusedByFilter(CodecException e) {
        assertTrue(e.getCause() instanceof java.io.InvalidClassException, String.valueOf(e.getCause()));
        assertTrue(e.getMessage().startsWith("refused by the deserialization filter: "), e.getMessage());
        assertTrue(e.getMessage().matches("refused by the deserialization filter: io\\.mmipc\\.queue\\.[\\w.$\\[\\]]+"), e.getMessage());
    }

    @Test
    void serializableCodecCarriesListedClassesAndRefusesUnlistedOnesNestedInThem() throws Exception {
        Order order = new Order("o-1", new Line("apple", 3), new Line("pear", 1));
        try (SharedQueue<Order> both = SharedQueue.builder("orders", orders(Order.class, Line.class))
                .directory(dir).create();
             SharedQueue<Order> onlyOrder = SharedQueue.builder("orders", Codecs.unchecked(orders(Order.class)))
                     .directory(dir).open()) {
            both.put(order);
            assertEquals(order, both.take());
            both.put(order);
            CodecException e = assertThrows(CodecException.class, onlyOrder::take);
            assertRefusedByFilter(e);
        }
    }

    /**
     * A class not on the list, sent by another process, is refused before it is initialised or deserialized
     * here; the refused message is consumed (as Python's get drops what it cannot unpickle) and the next one
     * is delivered, so one bad message cannot wedge every consumer.
     */
    @Test
    void refusedClassIsNeverInstantiatedAndDoesNotBlockTheQueue() throws Exception {
        try (SharedQueue<Order> q = SharedQueue.builder("mixed", orders(Order.class, Line.class))
                .directory(dir).create()) {
            try (ChildJvm child = ChildJvm.start(QueueChild.class, "poison", dir.toString(), "mixed")) {
                child.expect("put", WAIT);
                assertEquals(0, child.waitFor(WAIT));
            }
            Order after = new Order("after");
            q.put(after);
            assertEquals(2, q.qsize());
            CodecException e = assertThrows(CodecException.class, q::take);
            assertRefusedByFilter(e);
            assertFalse(QueueChild.PoisonTrace.initialised, "the refused class's static initialiser ran");
            assertFalse(QueueChild.PoisonTrace.deserialized, "the refused class's readObject ran");
            assertEquals(1, q.qsize(), "the refused message is removed");
            assertEquals(after, q.poll(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void undecodableMessageIsRemovedReportedAndCountedDoneInAJoinableQueue() throws Exception {
        try (SharedJoinableQueue<byte[]> raw = SharedJoinableQueue.builder("j", Codecs.bytes()).directory(dir).create();
             SharedJoinableQueue<Integer> ints = SharedJoinableQueue.builder("j", Codecs.unchecked(Codecs.int32()))
                     .directory(dir).open()) {
            raw.put(new byte[] {1, 2, 3});
            raw.put(new byte[] {0, 0, 0, 7});
            // peek leaves a message it cannot decode where it is
            assertThrows(CodecException.class, ints::peek);
            assertEquals(2, ints.qsize());
            CodecException e = assertThrows(CodecException.class, ints::take);
            assertTrue(e.getMessage().contains("expected 4 bytes"), e.getMessage());
            assertEquals(7, ints.take());
            ints.taskDone();
            assertEquals(0, ints.unfinishedTasks(), "the undeliverable message counts as done");
            assertTrue(ints.join(Duration.ofSeconds(5)));
        }
    }
}
