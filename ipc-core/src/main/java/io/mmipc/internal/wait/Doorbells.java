package io.mmipc.internal.wait;

import io.mmipc.internal.file.Directories;
import io.mmipc.internal.proc.ProcessIdentity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * This process's doorbells (borrowed for one sleep each) and its cached connections to other processes'
 * doorbells. A doorbell is addressed by the owner's process token and a number; its socket file is
 * {@code <dir>/<pid>-<start>-<number>}. Files of dead processes are swept when this process first makes one.
 */
final class Doorbells {
    private static final Path DIR = bellDirectory();
    private static final ConcurrentLinkedDeque<Doorbell> POOL = new ConcurrentLinkedDeque<>();
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final Map<Long, SocketChannel> CONNECTIONS = new ConcurrentHashMap<>();
    private static final Map<Integer, Doorbell> ALL = new ConcurrentHashMap<>();
    private static volatile boolean initialised;

    private Doorbells() {
    }

    private static Path bellDirectory() {
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        Path shm = Path.of("/dev/shm");
        Path base = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of("/tmp");
        return base.resolve(".mmipc-bells-" + user);
    }

    private static final java.util.concurrent.atomic.AtomicBoolean WARMED = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Loads and links the socket machinery on a daemon thread, once per process, so the first wake-up
     * does not pay ~40 ms of class loading on the waker's or the sleeper's critical path.
     */
    static void prewarm() {
        if (!WARMED.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                release(borrow());
                ring(ProcessIdentity.self(), -1);
            } catch (RuntimeException ignored) {
                // best effort: the real first use will report any problem
            }
        }, "mmipc-doorbell-prewarm");
        t.setDaemon(true);
        t.start();
    }

    /** Borrows a doorbell for one sleep; give it back with {@link #release(Doorbell)}. */
    static Doorbell borrow() {
        Doorbell bell = POOL.pollFirst();
        if (bell != null) {
            return bell;
        }
        try {
            init();
            int number = NEXT.getAndIncrement();
            Doorbell created = new Doorbell(number, path(ProcessIdentity.self(), number));
            ALL.put(number, created);
            return created;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a doorbell in " + DIR, e);
        }
    }

    /** Returns a doorbell to the pool. */
    static void release(Doorbell bell) {
        POOL.addFirst(bell);
    }

    /**
     * Rings doorbell {@code number} of process {@code token}. A doorbell that is gone (its process died or
     * exited) is ignored: the cost of a dead waiter is this one failed attempt.
     *
     * @return false if the doorbell no longer exists
     */
    static boolean ring(long token, int number) {
        long key = token * 31 + number;
        SocketChannel ch = CONNECTIONS.get(key);
        try {
            if (ch == null) {
                ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    ch.connect(UnixDomainSocketAddress.of(path(token, number)));
                    ch.configureBlocking(false);
                } catch (IOException e) {
                    ch.close();
                    return false;
                }
                SocketChannel raced = CONNECTIONS.putIfAbsent(key, ch);
                if (raced != null) {
                    ch.close();
                    ch = raced;
                }
            }
            ch.write(ByteBuffer.wrap(new byte[] {1}));
            return true;
        } catch (IOException e) {
            CONNECTIONS.remove(key, ch);
            try {
                ch.close();
            } catch (IOException ignored) {
                // already broken
            }
            return false;
        }
    }

    private static Path path(long token, int number) {
        return DIR.resolve(ProcessIdentity.pid(token) + "-" + (token >>> 22) + "-" + number);
    }

    private static synchronized void init() throws IOException {
        if (initialised) {
            return;
        }
        Directories.ensurePrivateDirectory(DIR);
        sweepDead();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ALL.values().forEach(Doorbell::close),
                "mmipc-doorbell-cleanup"));
        initialised = true;
    }

    /** Deletes the socket files of processes that are gone. */
    private static void sweepDead() {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(DIR)) {
            for (Path f : files) {
                String[] parts = f.getFileName().toString().split("-");
                if (parts.length != 3) {
                    continue;
                }
                try {
                    long token = (Long.parseLong(parts[1]) << 22) | Long.parseLong(parts[0]);
                    if (!ProcessIdentity.isAlive(token)) {
                        Files.deleteIfExists(f);
                    }
                } catch (NumberFormatException | IOException ignored) {
                    // not ours, or already gone
                }
            }
        } catch (IOException ignored) {
            // best effort
        }
    }
}
