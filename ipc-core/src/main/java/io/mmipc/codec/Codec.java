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

    /**
     * Names the encoding, for the file: a queue or pipe records its creator's codec name (a 64-bit hash and
     * the first 24 characters) and refuses to open with a codec of another name, with an
     * {@code ObjectFileException} naming both, instead of decoding garbage. Two codecs that read each
     * other's bytes should share a name ({@link Codecs#bytes()} and {@link Codecs#byteBuffer()} are both
     * {@code "bytes"}). A name starting with {@code "*"} opens a file whatever codec it records and records
     * the rest of the name (see {@link Codecs#unchecked(Codec)}); null records and checks nothing.
     *
     * <p>The default is the implementing class's name, or null for a hidden class (a lambda's, whose name
     * changes from run to run). Override it when a class can encode in more than one way.
     *
     * @return the encoding's name, or null
     */
    default String name() {
        Class<?> c = getClass();
        return c.isHidden() ? null : c.getName();
    }
}
