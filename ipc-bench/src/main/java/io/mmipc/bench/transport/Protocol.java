package io.mmipc.bench.transport;

import java.nio.ByteBuffer;

/**
 * What the benchmark's JVM and its peer say to each other over any {@link Channel}: the first byte of
 * every message is an operation code; the rest is payload the peer never looks at.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      op       |            payload (size - 1 bytes)          ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>The peer answers {@link #ECHO} with the same message (round trip), counts {@link #SINK} messages
 * silently (one-way throughput), answers {@link #ACK} with an {@link #ACK_LENGTH}-byte message holding the
 * number of messages received since the previous ACK, this one included, as a little-endian long at offset 0
 * (so a batch is timed end-to-end, up to its last message's arrival), and exits on {@link #STOP}.
 */
public final class Protocol {
    /** Largest message any transport must carry: the biggest benchmarked payload. */
    public static final int MAX_MESSAGE = 1 << 20;
    /** Send this message back unchanged. */
    public static final byte ECHO = 1;
    /** Count this message; no answer. */
    public static final byte SINK = 2;
    /** Count this message and answer with the count since the previous ACK. */
    public static final byte ACK = 3;
    /** Close the channel and exit. */
    public static final byte STOP = 4;
    /** Length of the peer's answer to {@link #ACK}. */
    public static final int ACK_LENGTH = 8;
    /** Smallest message: room for the operation code and, in an ACK answer, the count. */
    public static final int MIN_MESSAGE = 8;

    private Protocol() {
    }

    /** @return a direct buffer of {@link #MAX_MESSAGE} bytes, for receiving */
    public static ByteBuffer receiveBuffer() {
        return ByteBuffer.allocateDirect(MAX_MESSAGE);
    }

    /**
     * @param size message size in bytes
     * @return a direct buffer of {@code size} bytes filled with a non-zero pattern, op set to {@link #SINK}
     * @throws IllegalArgumentException if the size is out of range
     */
    public static ByteBuffer message(int size) {
        if (size < MIN_MESSAGE || size > MAX_MESSAGE) {
            throw new IllegalArgumentException("message size out of range: size=" + size + ", min="
                    + MIN_MESSAGE + ", max=" + MAX_MESSAGE);
        }
        ByteBuffer b = ByteBuffer.allocateDirect(size);
        for (int i = 0; i < size; i++) {
            b.put(i, (byte) (i * 31 + 7));
        }
        b.put(0, SINK);
        return b;
    }
}
