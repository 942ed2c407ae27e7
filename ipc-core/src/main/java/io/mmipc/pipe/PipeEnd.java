package io.mmipc.pipe;

/**
 * Which end of a pipe a connection is. The names follow Python's {@code conn1, conn2 = Pipe()}: in a duplex
 * pipe both ends send and receive, and what one sends the other receives; in a simplex pipe
 * ({@code r, w = Pipe(duplex=False)}) {@link #FIRST} is receive-only and {@link #SECOND} send-only.
 */
public enum PipeEnd {
    /** Python's {@code conn1}; the receiving end of a simplex pipe. */
    FIRST,
    /** Python's {@code conn2}; the sending end of a simplex pipe. */
    SECOND;

    /** {@return the end this one talks to} */
    public PipeEnd other() {
        return this == FIRST ? SECOND : FIRST;
    }

    /** @return 0 for {@link #FIRST}, 1 for {@link #SECOND}: the end's index in the pipe's file */
    int index() {
        return ordinal();
    }
}
