package io.mmipc.bench.transport;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;

/** A Unix-domain stream socket ({@code java.nio}, blocking): what an OS pipe between two processes costs. */
public final class UdsTransport implements Transport {
    private static final String SOCKET = "uds.sock";

    @Override
    public String name() {
        return "uds";
    }

    @Override
    public List<String> idleModes() {
        return List.of("block");
    }

    @Override
    public Channel serve(Path dir, String idle, Runnable ready) throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(dir.resolve(SOCKET)));
            ready.run();
            return new SocketStreamChannel(server.accept());
        }
    }

    @Override
    public Channel connect(Path dir, String idle) throws IOException {
        return new SocketStreamChannel(SocketChannel.open(UnixDomainSocketAddress.of(dir.resolve(SOCKET))));
    }
}
