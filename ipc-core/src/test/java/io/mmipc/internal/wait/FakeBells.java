package io.mmipc.internal.wait;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Doorbells of made-up processes for tests: plain Unix-domain server sockets (never accepting) at the
 * addresses {@link Doorbells#path} gives. Closing deletes them.
 */
final class FakeBells implements AutoCloseable {
    private final List<ServerSocketChannel> servers = new ArrayList<>();

    /** @return a listening, non-blocking socket at doorbell {@code number} of process {@code token} */
    ServerSocketChannel create(long token, int number) throws Exception {
        Path path = Doorbells.path(token, number);
        Files.deleteIfExists(path);
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        s.bind(UnixDomainSocketAddress.of(path));
        s.configureBlocking(false);
        servers.add(s);
        return s;
    }

    /** Closes and deletes the most recently created one. */
    void dropLast() throws Exception {
        close(servers.remove(servers.size() - 1));
    }

    /** @return the {@code i}-th still open, in creation order */
    ServerSocketChannel get(int i) {
        return servers.get(i);
    }

    /** @return how many are open */
    int size() {
        return servers.size();
    }

    private static void close(ServerSocketChannel s) throws Exception {
        Path p = ((UnixDomainSocketAddress) s.getLocalAddress()).getPath();
        s.close();
        Files.deleteIfExists(p);
    }

    @Override
    public void close() throws Exception {
        for (ServerSocketChannel s : servers) {
            close(s);
        }
        servers.clear();
    }
}
