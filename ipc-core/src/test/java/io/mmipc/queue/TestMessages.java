package io.mmipc.queue;

import java.nio.ByteBuffer;

/**
 * Self-checking test messages: {@code [producer int][seq int][length int]} then a payload whose every byte is
 * a function of (producer, seq, index), so a consumer in any process can verify a message without having
 * seen it sent. Sizes are a deterministic function of (producer, seq) as well: mostly small, some spanning
 * several slots, a few larger than the ring can hold inline (spilled to a side file).
 */
final class TestMessages {
    /** Bytes of the message header. */
    static final int HEADER = 12;

    private TestMessages() {
    }

    /**
     * A mixed size for message {@code seq} of {@code producer}: about 1 in {@code spillEvery} is larger than
     * {@code maxInline} (spilled), 1 in 16 spans several slots, the rest are small.
     */
    static int mixedSize(int producer, int seq, int maxInline, int spillEvery) {
        int h = mix(producer, seq);
        int r = h & 0x7FFFFFFF;
        if (spillEvery > 0 && r % spillEvery == 0) {
            return maxInline + 1 + (r >>> 8) % 4096;
        }
        if ((r >>> 4) % 16 == 0) {
            return Math.min(maxInline, 256 + (r >>> 9) % 1800);
        }
        return HEADER + (r >>> 12) % 100;
    }

    private static int mix(int producer, int seq) {
        long x = ((long) producer << 32) ^ (seq & 0xFFFFFFFFL);
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        x *= 0xc4ceb9fe1a85ec53L;
        x ^= x >>> 33;
        return (int) x;
    }

    /** @return message {@code seq} of {@code producer}, {@code size} bytes (at least {@link #HEADER}) */
    static byte[] make(int producer, int seq, int size) {
        if (size < HEADER) {
            throw new IllegalArgumentException("size < " + HEADER + ": size=" + size);
        }
        byte[] b = new byte[size];
        ByteBuffer buf = ByteBuffer.wrap(b);
        buf.putInt(producer).putInt(seq).putInt(size);
        for (int i = HEADER; i < size; i++) {
            b[i] = fill(producer, seq, i);
        }
        return b;
    }

    private static byte fill(int producer, int seq, int i) {
        return (byte) (producer * 31 + seq * 17 + i * 7);
    }

    /** @return the producer of a message */
    static int producer(byte[] m) {
        return ByteBuffer.wrap(m).getInt(0);
    }

    /** @return the sequence number of a message */
    static int seq(byte[] m) {
        return ByteBuffer.wrap(m).getInt(4);
    }

    /**
     * Checks a message's length field and every payload byte.
     *
     * @throws AssertionError describing the first difference
     */
    static void verify(byte[] m) {
        if (m.length < HEADER) {
            throw new AssertionError("message shorter than its header: length=" + m.length);
        }
        ByteBuffer buf = ByteBuffer.wrap(m);
        int producer = buf.getInt();
        int seq = buf.getInt();
        int size = buf.getInt();
        if (size != m.length) {
            throw new AssertionError("message " + producer + ":" + seq + " length field=" + size + ", actual="
                    + m.length);
        }
        for (int i = HEADER; i < size; i++) {
            if (m[i] != fill(producer, seq, i)) {
                throw new AssertionError("message " + producer + ":" + seq + " corrupt at byte " + i);
            }
        }
    }
}
