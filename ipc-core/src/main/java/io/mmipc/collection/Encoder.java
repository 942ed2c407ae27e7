package io.mmipc.collection;

import io.mmipc.codec.Codec;
import io.mmipc.codec.Codecs;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A codec with a per-thread scratch buffer, turning items into exact-length byte arrays and back. The two
 * codecs most keys and values use, {@link Codecs#string()} and {@link Codecs#int64()}, are done directly on
 * arrays, with the same bytes and results as the codecs' own (a map operation spent a quarter of its time
 * going through buffers for them).
 */
final class Encoder<T> {
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final int GENERIC = 0;
    private static final int STRING = 1;
    private static final int INT64 = 2;

    private final Codec<T> codec;
    private final int kind;
    private final String what;
    private final ThreadLocal<ByteBuffer> scratch = ThreadLocal.withInitial(() -> ByteBuffer.allocate(256));

    Encoder(Codec<T> codec, String what) {
        this.codec = Objects.requireNonNull(codec, what + " codec");
        this.kind = codec == Codecs.string() ? STRING : codec == Codecs.int64() ? INT64 : GENERIC;
        this.what = what;
    }

    /** @throws NullPointerException naming the argument if {@code item} is null */
    byte[] encode(T item) {
        Objects.requireNonNull(item, what);
        if (kind == STRING) {
            return ((String) item).getBytes(StandardCharsets.UTF_8);
        }
        if (kind == INT64) {
            byte[] b = new byte[Long.BYTES];
            LONG_BE.set(b, 0, (long) (Long) item);
            return b;
        }
        ByteBuffer buf = scratch.get();
        while (true) {
            buf.clear();
            try {
                ByteBuffer out = codec.encode(item, buf);
                byte[] bytes = new byte[out.remaining()];
                out.get(bytes);
                return bytes;
            } catch (BufferOverflowException e) {
                buf = ByteBuffer.allocate(buf.capacity() * 4);
                scratch.set(buf);
            }
        }
    }

    /** Encodes an object of unknown type; null if it is not of the codec's type (so it cannot be present). */
    @SuppressWarnings("unchecked")
    byte[] encodeQuery(Object item) {
        Objects.requireNonNull(item, what);
        try {
            return encode((T) item);
        } catch (ClassCastException notOurs) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    T decode(byte[] bytes) {
        if (kind == STRING) {
            // The same result as the codec's decode (malformed input replaced alike), without a CharBuffer.
            return (T) new String(bytes, StandardCharsets.UTF_8);
        }
        if (kind == INT64 && bytes.length == Long.BYTES) {
            return (T) Long.valueOf((long) LONG_BE.get(bytes, 0));
        }
        return codec.decode(ByteBuffer.wrap(bytes));
    }
}
