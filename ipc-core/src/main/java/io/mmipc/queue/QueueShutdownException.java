package io.mmipc.queue;

/**
 * Python 3.13's {@code queue.ShutDown}: the queue was shut down, so a put is refused, and a get finds
 * nothing left to drain (or the shutdown was immediate). Thrown in every process, including to calls that
 * were blocked when the shutdown happened.
 */
public class QueueShutdownException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message names the queue
     */
    public QueueShutdownException(String message) {
        super(message);
    }
}
