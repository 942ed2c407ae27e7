package io.mmipc.pipe;

import io.mmipc.internal.file.SharedFile;
import io.mmipc.internal.pipe.EndWatch;
import io.mmipc.internal.ring.MessagePath;

import java.io.EOFException;
import java.io.IOException;

/**
 * What ends or blocks a connection's calls besides its rings: the connection being closed, and whether any
 * live process holds the other end. Sends to an end nobody holds fail with {@link BrokenPipeException};
 * receives from it, once drained, with {@link EOFException}.
 *
 * <p>Why that end-of-file is never early: a writer's {@code close} lowers its end's count with a volatile
 * write after every message it published, so a reader that sees no holder (volatile read) and then finds
 * the ring empty has seen all of them. A writer killed mid-message leaves a claim that the ring skips once
 * it sees the writer dead.
 */
final class PipeGate implements MessagePath.Gate<IOException> {
    private final PipeConnection<?> conn;
    private final SharedFile file;
    private final EndWatch other;

    /**
     * @param conn  the connection
     * @param file  the pipe's file, which the connection shares with others made from the same mapping
     * @param other the watch of the other end (which reads what this end sends, and writes what it receives)
     */
    PipeGate(PipeConnection<?> conn, SharedFile file, EndWatch other) {
        this.conn = conn;
        this.file = file;
        this.other = other;
    }

    @Override
    public void enter() {
        conn.ensureOpen();
        file.enter();
        if (conn.isClosed()) {
            file.exit();
            conn.ensureOpen();
        }
    }

    @Override
    public void exit() {
        file.exit();
    }

    @Override
    public boolean closed() {
        return conn.isClosed();
    }

    @Override
    public boolean refusesSends() {
        return other.gone();
    }

    @Override
    public void checkSend() throws BrokenPipeException {
        conn.ensureOpen();
        if (other.gone()) {
            throw new BrokenPipeException(conn.label() + ": broken pipe: no process holds end "
                    + conn.end().other() + " to receive");
        }
    }

    @Override
    public void checkReceive() {
        conn.ensureOpen();
    }

    @Override
    public boolean ended() {
        return other.gone();
    }

    @Override
    public IOException endOfStream() {
        return new EOFException(conn.label() + ": end of file: no process holds end " + conn.end().other()
                + " and everything it sent was read");
    }
}
