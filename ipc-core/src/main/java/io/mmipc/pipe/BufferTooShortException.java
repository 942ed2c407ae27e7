package io.mmipc.pipe;

import java.io.IOException;

/**
 * Python's {@code BufferTooShort}: the next message does not fit the buffer (or the maximum length) given to
 * a receive. Unlike Python, the message is <em>not</em> consumed: it stays first in the pipe, so the caller
 * can retry with a buffer of {@link #messageLength()} bytes.
 */
public class BufferTooShortException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The message's length in bytes. */
    private final int messageLength;
    /** The bytes the buffer had room for. */
    private final int available;

    /**
     * Creates the exception; its message names the pipe, the message length and the room offered.
     *
     * @param label         names the pipe and end
     * @param messageLength the length of the message that did not fit
     * @param available     the room the caller offered
     */
    public BufferTooShortException(String label, int messageLength, int available) {
        super(label + ": message does not fit: messageLength=" + messageLength + ", available=" + available);
        this.messageLength = messageLength;
        this.available = available;
    }

    /** {@return the length of the message that did not fit (and is still waiting)} */
    public int messageLength() {
        return messageLength;
    }

    /** {@return the room that was offered} */
    public int available() {
        return available;
    }
}
