package io.mmipc.bench.pipe;

import io.mmipc.codec.Codecs;
import io.mmipc.pipe.PipeConnection;
import io.mmipc.pipe.PipeEnd;
import io.mmipc.pipe.SharedPipe;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * {@link PipeTransport} over an mmipc duplex pipe: the listening side creates the pipe holding end
 * {@link PipeEnd#FIRST}, the peer opens {@link PipeEnd#SECOND}. Bytes move with the zero-copy
 * {@code sendBytes(ByteBuffer)} / {@code recvBytesInto(ByteBuffer)} pair. Waiting follows the
 * {@code mmipc.wait} system property (default AUTO: spin briefly, then sleep in the kernel).
 */
public final class MmipcPipeTransport implements PipeTransport {
    /** The pipe's name inside the benchmark folder. */
    public static final String NAME = "bench-pipe";
    /** Capacity of each direction's ring. */
    public static final long CAPACITY = 1 << 20;

    private final PipeConnection<byte[]> conn;
    private final boolean owner;

    private MmipcPipeTransport(PipeConnection<byte[]> conn, boolean owner) {
        this.conn = conn;
        this.owner = owner;
    }

    /** Creates the pipe in {@code dir}, holding end FIRST. */
    public static MmipcPipeTransport listen(Path dir) throws IOException {
        return new MmipcPipeTransport(SharedPipe.builder(NAME, Codecs.bytes()).directory(dir).capacity(CAPACITY)
                .create(PipeEnd.FIRST), true);
    }

    /** Opens end SECOND of the pipe in {@code dir}. */
    public static MmipcPipeTransport connect(Path dir) throws IOException {
        return new MmipcPipeTransport(SharedPipe.builder(NAME, Codecs.bytes()).directory(dir).open(PipeEnd.SECOND),
                false);
    }

    @Override
    public void send(ByteBuffer message) throws IOException, InterruptedException {
        conn.sendBytes(message);
    }

    @Override
    public int receive(ByteBuffer into) throws IOException, InterruptedException {
        into.clear();
        try {
            int n = conn.recvBytesInto(into);
            into.flip();
            return n;
        } catch (EOFException e) {
            return -1;
        }
    }

    @Override
    public void close() throws IOException {
        conn.close();
        if (owner) {
            conn.unlink();
        }
    }
}
