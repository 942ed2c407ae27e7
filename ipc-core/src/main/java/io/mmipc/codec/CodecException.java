package io.mmipc.codec;

/** An item that cannot be encoded or decoded; for Java serialization, also a class the filter refused. */
public class CodecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong
     * @param cause   the underlying error, or null
     */
    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
