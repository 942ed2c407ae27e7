package io.mmipc.internal.wait;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/**
 * A kernel-blocking wake-up for one sleeping thread, in pure Java: a Unix-domain server socket with its own
 * selector. Wakers connect once (connections are cached) and write one byte; the sleeper blocks in
 * {@code select} until a byte or a new connection arrives, the timeout passes, or it is interrupted.
 *
 * <p>Doorbells are pooled per process ({@link Doorbells}): a thread borrows one for one sleep, so short-lived
 * threads leave nothing behind. A stale byte from an earlier wake-up only causes a spurious return, which
 * callers tolerate by re-checking their condition.
 */
final class Doorbell implements AutoCloseable {
    private final int number;
    private final Path path;
    private final ServerSocketChannel server;
    private final Selector selector;
    private final ByteBuffer drain = ByteBuffer.allocate(256);

    Doorbell(int number, Path path) throws IOException {
        this.number = number;
        this.path = path;
        Files.deleteIfExists(path);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        server.configureBlocking(false);
        this.selector = Selector.open();
        server.register(selector, SelectionKey.OP_ACCEPT);
    }

    /** @return this doorbell's number within the process */
    int number() {
        return number;
    }

    /** Discards wake-ups that arrived while nobody slept. */
    void clear() throws IOException {
        if (selector.selectNow() > 0) {
            handleReady();
        }
    }

    /**
     * Sleeps until rung, at most {@code timeoutNanos}; returns early (with the interrupt flag still set) if
     * the thread is interrupted.
     *
     * @return true if rung (or a connection arrived), false on timeout or interrupt
     */
    boolean await(long timeoutNanos) throws IOException {
        long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos + 999_999));
        int ready = selector.select(millis);
        if (ready == 0) {
            return false;
        }
        handleReady();
        return true;
    }

    private void handleReady() throws IOException {
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
            SelectionKey key = it.next();
            it.remove();
            if (!key.isValid()) {
                continue;
            }
            if (key.isAcceptable()) {
                SocketChannel ch;
                while ((ch = server.accept()) != null) {
                    ch.configureBlocking(false);
                    ch.register(selector, SelectionKey.OP_READ);
                }
            } else if (key.isReadable()) {
                SocketChannel ch = (SocketChannel) key.channel();
                int n;
                try {
                    do {
                        drain.clear();
                        n = ch.read(drain);
                    } while (n > 0);
                } catch (IOException e) {
                    n = -1;
                }
                if (n < 0) {
                    key.cancel();
                    ch.close();
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
            selector.close();
            server.close();
        } catch (IOException ignored) {
            // closing at exit: nothing to do
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // left for the next sweep
        }
    }
}
