package io.mmipc.process;

import io.mmipc.codec.Codec;

import java.nio.ByteBuffer;

/**
 * The pool's queues carry byte arrays. This is {@link io.mmipc.codec.Codecs#bytes()} without touching
 * {@code Codecs}, whose class initialization makes sixteen lambdas: a worker JVM that does not need them
 * starts measurably faster without them.
 */
final class RawBytes implements Codec<byte[]> {
    static final RawBytes CODEC = new RawBytes();

    private RawBytes() {
    }

    @Override
    public ByteBuffer encode(byte[] value, ByteBuffer scratch) {
        return ByteBuffer.wrap(value);
    }

    @Override
    public byte[] decode(ByteBuffer message) {
        byte[] out = new byte[message.remaining()];
        message.get(out);
        return out;
    }
}
