package io.mmipc.queue;

/** Python's {@code queue.Full}: a non-blocking or timed put found the queue full. */
public class QueueFullException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message names the queue
     */
    public QueueFullException(String message) {
        super(message);
    }
}
