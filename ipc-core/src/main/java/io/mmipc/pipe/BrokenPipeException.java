package io.mmipc.pipe;

import java.io.IOException;

/**
 * Python's {@code BrokenPipeError}: a send found that no live process holds the end that would receive it
 * (every handle on it was closed, or the processes holding them died). The message was not sent.
 */
public class BrokenPipeException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message names the pipe and end
     */
    public BrokenPipeException(String message) {
        super(message);
    }
}
