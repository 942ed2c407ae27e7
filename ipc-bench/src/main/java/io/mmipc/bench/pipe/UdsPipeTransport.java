package io.mmipc.bench.pipe;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@link PipeTransport} over a blocking Unix-domain stream socket (JDK 16+ NIO), each message framed by a
 * 4-byte length and written with one gathering write: the OS-pipe baseline, like Python's {@code Pipe}.
 */
public final class UdsPipeTransport implements PipeTransport {
    /** The socket file's name inside the benchmark folder. */
    public static final String NAME = "bench-pipe.sock";

    private final ServerSocketChannel server;
    private final Path socketFile;
    private SocketChannel channel;
    private final ByteBuffer header = ByteBuffer.allocateDirect(4).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer[] frame = new ByteBuffer[2];

    private UdsPipeTransport(ServerSocketChannel server, Path socketFile, SocketChannel channel) {
        this.server = server;
        this.socketFile = socketFile;
        this.channel = channel;
    }

    /** Binds the socket in {@code dir}; the connection is accepted on first use. */
    public static UdsPipeTransport listen(Path dir) throws IOException {
        Path file = dir.resolve(NAME);
        Files.deleteIfExists(file);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(file));
        return new UdsPipeTransport(server, file, null);
    }

    /** Connects to the socket in {@code dir}. */
    public static UdsPipeTransport connect(Path dir) throws IOException {
        return new UdsPipeTransport(null, null, SocketChannel.open(UnixDomainSocketAddress.of(dir.resolve(NAME))));
    }

    private SocketChannel channel() throws IOException {
        if (channel == null) {
            channel = server.accept();
        }
        return channel;
    }

    @Override
    public void send(ByteBuffer message) throws IOException {
        SocketChannel ch = channel();
        ByteBuffer h = header.clear();
        h.putInt(message.remaining()).flip();
        frame[0] = h;
        frame[1] = message;
        while (h.hasRemaining() || message.hasRemaining()) {
            ch.write(frame);
        }
    }

    @Override
    public int receive(ByteBuffer into) throws IOException {
        SocketChannel ch = channel();
        ByteBuffer h = header.clear();
        while (h.hasRemaining()) {
            if (ch.read(h) < 0) {
                return -1;
            }
        }
        int n = h.getInt(0);
        into.clear().limit(n);
        while (into.hasRemaining()) {
            if (ch.read(into) < 0) {
                return -1;
            }
        }
        into.flip();
        return n;
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
        if (server != null) {
            server.close();
            Files.deleteIfExists(socketFile);
        }
    }
}
