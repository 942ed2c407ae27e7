package io.mmipc.bench.pipe;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A two-way message channel between this JVM and a peer JVM, as the pipe benchmarks see it. The side that
 * runs the benchmark calls {@link Kind#listen}, then starts the peer, which calls {@link Kind#connect}.
 */
public interface PipeTransport extends AutoCloseable {
    /** The transports compared: mmipc's pipe and a Unix-domain socket (what an OS pipe costs). */
    enum Kind {
        /** {@link io.mmipc.pipe.SharedPipe}, duplex, shared-memory rings. */
        MMIPC_PIPE,
        /** A blocking NIO Unix-domain stream socket with 4-byte length frames. */
        UDS;

        /** Creates the benchmark's side in {@code dir}; returns once the peer may connect. */
        public PipeTransport listen(Path dir) throws IOException {
            return this == MMIPC_PIPE ? MmipcPipeTransport.listen(dir) : UdsPipeTransport.listen(dir);
        }

        /** Connects the peer's side to what {@link #listen} made in {@code dir}. */
        public PipeTransport connect(Path dir) throws IOException {
            return this == MMIPC_PIPE ? MmipcPipeTransport.connect(dir) : UdsPipeTransport.connect(dir);
        }
    }

    /** Sends {@code message} (position to limit) as one message; the position is advanced. */
    void send(ByteBuffer message) throws IOException, InterruptedException;

    /**
     * Receives one message into {@code into} (cleared first; flipped after).
     *
     * @return the message length, or -1 at end-of-stream
     */
    int receive(ByteBuffer into) throws IOException, InterruptedException;

    @Override
    void close() throws IOException;
}
