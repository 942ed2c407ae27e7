package io.mmipc.bench.transport;

import io.mmipc.WaitMode;
import io.mmipc.codec.Codecs;
import io.mmipc.pipe.PipeConnection;
import io.mmipc.pipe.PipeEnd;
import io.mmipc.pipe.SharedPipe;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * mmipc's duplex {@link SharedPipe}: the peer creates it holding end {@link PipeEnd#FIRST}, the client
 * opens {@link PipeEnd#SECOND}; {@code sendBytes(ByteBuffer)} / {@code recvBytesInto(ByteBuffer)}, zero-copy.
 * Each direction's ring holds {@link MmipcQueueTransport#CAPACITY} bytes. No JVM flags. The idle mode is the
 * pipe's {@link WaitMode} (default {@code auto}).
 */
public final class MmipcPipeTransport implements Transport {
    private static final String NAME = "pipe";

    @Override
    public String name() {
        return "mmipc-pipe";
    }

    @Override
    public List<String> idleModes() {
        return List.of("auto", "spin", "doorbell", "futex");
    }

    @Override
    public Channel serve(Path dir, String idle, Runnable ready) throws IOException {
        PipeConnection<byte[]> end = SharedPipe.builder(NAME, Codecs.bytes()).directory(dir)
                .capacity(MmipcQueueTransport.CAPACITY).waitMode(mode(idle)).create(PipeEnd.FIRST);
        ready.run();
        return new End(end);
    }

    @Override
    public Channel connect(Path dir, String idle) throws IOException {
        return new End(SharedPipe.builder(NAME, Codecs.bytes()).directory(dir).waitMode(mode(idle))
                .open(PipeEnd.SECOND));
    }

    private static WaitMode mode(String idle) {
        return WaitMode.valueOf(idle.toUpperCase(Locale.ROOT));
    }

    /** One end of the pipe. */
    private static final class End implements Channel {
        private final PipeConnection<byte[]> conn;

        End(PipeConnection<byte[]> conn) {
            this.conn = conn;
        }

        @Override
        public void send(ByteBuffer message) throws IOException {
            try {
                conn.sendBytes(message);
            } catch (InterruptedException e) {
                throw MmipcQueueTransport.interrupted(e);
            }
        }

        @Override
        public int receive(ByteBuffer dst) throws IOException {
            dst.clear();
            try {
                int length = conn.recvBytesInto(dst);
                dst.flip();
                return length;
            } catch (InterruptedException e) {
                throw MmipcQueueTransport.interrupted(e);
            }
        }

        @Override
        public void close() {
            conn.close();
        }
    }
}
