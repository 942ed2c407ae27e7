package io.mmipc.queue;

import java.util.NoSuchElementException;

/** Python's {@code queue.Empty}: a non-blocking or timed get found the queue empty. */
public class QueueEmptyException extends NoSuchElementException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message names the queue
     */
    public QueueEmptyException(String message) {
        super(message);
    }
}
