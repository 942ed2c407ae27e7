package io.mmipc.codec;

import io.mmipc.ObjectFileException;
import io.mmipc.pipe.PipeEnd;
import io.mmipc.pipe.SharedPipe;
import io.mmipc.queue.SharedQueue;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The codec is recorded in the file (issue 15): opening with another one fails clearly, naming both, instead
 * of decoding garbage; {@link Codecs#anyBytes()} opens whatever the file records.
 */
@Timeout(60)
class CodecIdentityTest {
    private Path dir;

    /** A message type. */
    record Order(long id) implements Serializable {
    }

    /** Another message type. */
    record Refund(long id) implements Serializable {
    }

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("codecid");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestDirs.delete(dir);
    }

    private <T> SharedQueue<T> open(String name, Codec<T> codec) throws Exception {
        return SharedQueue.builder(name, codec).directory(dir).open();
    }

    @Test
    void aQueueOpenedWithAnotherCodecIsRefusedNamingBoth() throws Exception {
        try (SharedQueue<String> q = SharedQueue.builder("s", Codecs.string()).directory(dir).create()) {
            q.put("hello");
            ObjectFileException e = assertThrows(ObjectFileException.class, () -> open("s", Codecs.int64()));
            assertTrue(e.getMessage().contains("codec mismatch: file=string:utf-8, requested=int64"), e.getMessage());
            assertTrue(e.getMessage().contains(q.path().toString()), e.getMessage());
            try (SharedQueue<String> same = open("s", Codecs.string())) {
                assertEquals("hello", same.take());
            }
        }
    }

    @Test
    void serializableCodecsAreNamedByTheirAllowedClasses() throws Exception {
        Codec<Serializable> orders = Codecs.serializable(Order.class, Refund.class);
        SharedQueue.builder("o", orders).directory(dir).create().close();
        open("o", Codecs.<Serializable>serializable(Refund.class, Order.class)).close(); // order does not matter
        ObjectFileException e = assertThrows(ObjectFileException.class,
                () -> open("o", Codecs.<Serializable>serializable(Order.class)));
        assertTrue(e.getMessage().contains("codec mismatch: file=serializable:"), e.getMessage());
        assertTrue(e.getMessage().contains("requested=serializable:"), e.getMessage());
    }

    @Test
    void byteCodecsShareANameAndAnyBytesOpensAnything() throws Exception {
        try (SharedQueue<byte[]> b = SharedQueue.builder("b", Codecs.bytes()).directory(dir).create();
             SharedQueue<java.nio.ByteBuffer> bb = open("b", Codecs.byteBuffer())) {
            b.put(new byte[] {1, 2});
            assertEquals(2, bb.take().remaining());
        }
        try (SharedQueue<String> s = SharedQueue.builder("t", Codecs.string()).directory(dir).create();
             SharedQueue<byte[]> raw = open("t", Codecs.anyBytes())) {
            s.put("héllo");
            assertArrayEquals("héllo".getBytes(StandardCharsets.UTF_8), raw.take());
        }
    }

    @Test
    void anUncheckedCodecOpensAnyFileAndRecordsItsOwnName() throws Exception {
        SharedQueue.builder("u", Codecs.unchecked(Codecs.int64())).directory(dir).create().close();
        open("u", Codecs.int64()).close();
        assertThrows(ObjectFileException.class, () -> open("u", Codecs.int32()));
        open("u", Codecs.unchecked(Codecs.int32())).close();
    }

    @Test
    void aPipeOpenedWithAnotherCodecIsRefused() throws Exception {
        try (var first = SharedPipe.builder("p", Codecs.string()).directory(dir).create(PipeEnd.FIRST)) {
            ObjectFileException e = assertThrows(ObjectFileException.class,
                    () -> SharedPipe.builder("p", Codecs.int32()).directory(dir).open(PipeEnd.SECOND));
            assertTrue(e.getMessage().contains("codec mismatch: file=string:utf-8, requested=int32"), e.getMessage());
            SharedPipe.builder("p", Codecs.anyBytes()).directory(dir).open(PipeEnd.SECOND).close();
        }
    }

    @Test
    void everyBuiltInNamesItself() {
        for (Codec<?> c : new Codec<?>[] {Codecs.bytes(), Codecs.byteBuffer(), Codecs.string(), Codecs.int32(),
                Codecs.int64(), Codecs.float64(), Codecs.float32(), Codecs.int16(), Codecs.int8(),
                Codecs.character(), Codecs.bool(), Codecs.serializable(Order.class)}) {
            assertTrue(c.name() != null && !c.name().startsWith("io.mmipc.codec.Codecs"), String.valueOf(c.name()));
        }
    }
}
