package io.mmipc.collection;

import io.mmipc.codec.Codec;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Objects;

/** A codec with a per-thread scratch buffer, turning items into exact-length byte arrays and back. */
final class Encoder<T> {
    private final Codec<T> codec;
    private final String what;
    private final ThreadLocal<ByteBuffer> scratch = ThreadLocal.withInitial(() -> ByteBuffer.allocate(256));

    Encoder(Codec<T> codec, String what) {
        this.codec = Objects.requireNonNull(codec, what + " codec");
        this.what = what;
    }

    /** @throws NullPointerException naming the argument if {@code item} is null */
    byte[] encode(T item) {
        Objects.requireNonNull(item, what);
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

    T decode(byte[] bytes) {
        return codec.decode(ByteBuffer.wrap(bytes));
    }
}
