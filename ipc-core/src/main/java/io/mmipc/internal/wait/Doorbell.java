package io.mmipc.internal.wait;

import io.mmipc.internal.log.Log;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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

    private Doorbell(int number, Path path, ServerSocketChannel server) throws IOException {
        this.number = number;
        this.path = path;
        this.server = server;
        server.configureBlocking(false);
        this.selector = Selector.open();
        server.register(selector, SelectionKey.OP_ACCEPT);
    }

    /**
     * Creates the doorbell whose socket file is {@code path}, unless that file exists: it is then someone
     * else's (another copy of mmipc in this JVM; files of dead processes are swept before), never taken over.
     *
     * @return the new doorbell, or null if {@code path} exists
     * @throws IOException if the socket cannot be made for another reason
     */
    static Doorbell createIfAbsent(int number, Path path) throws IOException {
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            // bind creates the file or fails if it exists: atomic against a racing creator.
            server.bind(UnixDomainSocketAddress.of(path));
        } catch (BindException exists) {
            server.close();
            return null;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        try {
            return new Doorbell(number, path, server);
        } catch (IOException | RuntimeException e) {
            server.close();
            Files.deleteIfExists(path);
            throw e;
        }
    }

    /** @return the socket file */
    Path path() {
        return path;
    }

    /** @return this doorbell's number within the process */
    int number() {
        return number;
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
                    // A short read drained the socket: no second read just to see EAGAIN (one call per ring).
                    do {
                        drain.clear();
                        n = ch.read(drain);
                    } while (n == drain.capacity());
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

    /** Deletes the socket file only (at exit: a thread may still be blocked in this doorbell's selector). */
    void deleteFile() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // Left for the next sweep.
            Log.WAIT.log(Level.DEBUG, "cannot delete doorbell file " + path, e);
        }
    }

    @Override
    public void close() {
        abandon();
        deleteFile();
    }

    /**
     * Closes the sockets but leaves the file: for a doorbell whose file was deleted by someone else (a new file
     * at that path, if any, is not this doorbell's).
     */
    void abandon() {
        try {
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
            selector.close();
            server.close();
        } catch (IOException e) {
            // Closing: nothing else to do.
            Log.WAIT.log(Level.DEBUG, "closing doorbell " + path + " failed", e);
        }
    }
}
