package io.mmipc.bench.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A TCP socket on the loopback interface ({@code java.nio}, blocking, {@code TCP_NODELAY} on both ends). The
 * peer listens on an ephemeral port and writes its number to a file in the benchmark's folder.
 */
public final class TcpTransport implements Transport {
    private static final String PORT_FILE = "tcp.port";

    @Override
    public String name() {
        return "tcp";
    }

    @Override
    public List<String> idleModes() {
        return List.of("block");
    }

    @Override
    public Channel serve(Path dir, String idle, Runnable ready) throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            Files.writeString(dir.resolve(PORT_FILE), Integer.toString(port), StandardCharsets.US_ASCII);
            ready.run();
            return open(server.accept());
        }
    }

    @Override
    public Channel connect(Path dir, String idle) throws IOException {
        int port = Integer.parseInt(Files.readString(dir.resolve(PORT_FILE), StandardCharsets.US_ASCII).trim());
        return open(SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
    }

    private static Channel open(SocketChannel channel) throws IOException {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        return new SocketStreamChannel(channel);
    }
}
