package io.mmipc.bench.transport;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One end of a two-way message channel between two JVM processes, made by a {@link Transport}: whole messages
 * of up to {@link Protocol#MAX_MESSAGE} bytes, delivered in order. A channel is used by one thread.
 *
 * <p>The same interface serves both processes: the benchmark's JVM (the <em>client</em>) gets its end from
 * {@link Transport#connect}, the child JVM (the <em>peer</em>, see {@link PeerMain}) from
 * {@link Transport#serve}. What travels inside a message is the benchmark's business
 * ({@link Protocol}); a channel only moves bytes.
 */
public interface Channel extends AutoCloseable {
    /**
     * Sends the bytes of {@code message} from its position to its limit as one message, waiting while the
     * channel is full. The position is left where it was or moved to the limit: callers must not rely on it.
     *
     * @param message the bytes to send; 1 to {@link Protocol#MAX_MESSAGE} bytes
     * @throws IOException if the channel broke
     */
    void send(ByteBuffer message) throws IOException;

    /**
     * Receives the next message into {@code dst}, waiting as long as none has arrived (how it waits is the
     * transport's idle strategy). {@code dst} is cleared first and flipped after: position 0, limit the length.
     *
     * @param dst a buffer of at least {@link Protocol#MAX_MESSAGE} bytes
     * @return the message length
     * @throws java.io.EOFException if the other side closed the channel
     * @throws IOException          if the channel broke
     */
    int receive(ByteBuffer dst) throws IOException;

    /** Releases this end (sockets, mappings); idempotent. Files are the caller's to delete. */
    @Override
    void close() throws IOException;
}
