package io.mmipc.collection;

import io.mmipc.codec.Codec;
import io.mmipc.codec.CodecException;
import io.mmipc.codec.Codecs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The encoder's direct paths for the string and int64 codecs give exactly the codecs' own bytes and values. */
@Timeout(30)
class EncoderTest {
    private static <T> byte[] viaCodec(Codec<T> codec, T item) {
        ByteBuffer out = codec.encode(item, ByteBuffer.allocate(256));
        byte[] b = new byte[out.remaining()];
        out.get(b);
        return b;
    }

    @Test
    void stringsEncodeAndDecodeAsTheCodecDoes() {
        Encoder<String> e = new Encoder<>(Codecs.string(), "key");
        for (String s : new String[] {"", "k1", "é€😀", "lone \uD800 surrogate", "x".repeat(1000)}) {
            byte[] b = e.encode(s);
            assertArrayEquals(viaCodec(Codecs.string(), s), b, s);
            assertEquals(Codecs.string().decode(ByteBuffer.wrap(b)), e.decode(b), s);
        }
        byte[] malformed = {(byte) 0xC3, 'a', (byte) 0xFF, (byte) 0xE2, (byte) 0x82};
        assertEquals(StandardCharsets.UTF_8.decode(ByteBuffer.wrap(malformed)).toString(), e.decode(malformed));
        assertNull(e.encodeQuery(42), "another type cannot be a key");
    }

    @Test
    void longsEncodeAndDecodeAsTheCodecDoes() {
        Encoder<Long> e = new Encoder<>(Codecs.int64(), "value");
        for (long v : new long[] {0, 1, -1, 0x0102030405060708L, Long.MIN_VALUE, Long.MAX_VALUE}) {
            byte[] b = e.encode(v);
            assertArrayEquals(viaCodec(Codecs.int64(), v), b, "v=" + v);
            assertEquals(v, e.decode(b));
        }
        CodecException wrong = assertThrows(CodecException.class, () -> e.decode(new byte[7]));
        assertTrue(wrong.getMessage().contains("expected 8 bytes"), wrong.getMessage());
        assertNull(e.encodeQuery("7"), "another type cannot be a key");
    }
}
