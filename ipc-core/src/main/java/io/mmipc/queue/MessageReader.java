package io.mmipc.queue;

import java.nio.ByteBuffer;

/** Reads one message in place (zero-copy): the buffer views shared memory and is valid only during the call. */
@FunctionalInterface
public interface MessageReader {
    /**
     * Reads the message; it must not keep the buffer (or a view of it) after returning.
     *
     * @param message the payload, position 0 to limit, read-only by contract
     */
    void read(ByteBuffer message);
}
