package io.mmipc.codec;

import java.nio.ByteBuffer;

/**
 * Turns items into bytes and back, for queues and pipes. Built-ins are in {@link Codecs}.
 *
 * <p>Implementations must be thread-safe (one codec serves every thread of a handle).
 *
 * @param <T> the item type
 */
public interface Codec<T> {
    /**
     * Encodes an item. An implementation may write into {@code scratch} (cleared, little or big endian as
     * set by the caller) and return it flipped, or return any other buffer holding the bytes from its
     * position to its limit (for example a bigger one when {@code scratch} is too small).
     *
     * @param value   the item, never null
     * @param scratch a reusable buffer owned by the calling thread
     * @return the encoded bytes, position to limit
     */
    ByteBuffer encode(T value, ByteBuffer scratch);

    /**
     * Decodes an item from exactly the bytes of one message.
     *
     * @param message the bytes, position to limit; valid only during the call
     * @return the item
     * @throws CodecException if the bytes are not a valid encoding
     */
    T decode(ByteBuffer message);
}
