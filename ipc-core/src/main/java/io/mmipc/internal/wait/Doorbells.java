package io.mmipc.internal.wait;

import io.mmipc.internal.file.Directories;
import io.mmipc.internal.log.Log;
import io.mmipc.internal.proc.ProcessIdentity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * This process's doorbells (borrowed for one sleep each) and its cached connections to other processes'
 * doorbells. A doorbell is addressed by the owner's process token and a number; its socket file is
 * {@code <dir>/<pid>-<start>-<number>}. Files of dead processes are swept when this process first makes one.
 *
 * <p>A number whose file already exists is skipped, never taken over: two copies of mmipc in one JVM (two
 * class loaders, each with its own numbering) thus never steal each other's doorbell. The connection cache is
 * keyed on the full address ({@link BellAddress}) and bounded by {@link #MAX_CONNECTIONS}: past the bound,
 * connections to dead processes are dropped first, then the least recently rung ones.
 */
final class Doorbells {
    /** Most cached connections to other processes' doorbells. */
    static final int MAX_CONNECTIONS = 256;
    private static final Path DIR = bellDirectory();
    private static final ConcurrentLinkedDeque<Doorbell> POOL = new ConcurrentLinkedDeque<>();
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final Map<BellAddress, Connection> CONNECTIONS = new ConcurrentHashMap<>();
    private static final AtomicLong RINGS = new AtomicLong();
    private static final Map<Integer, Doorbell> ALL = new ConcurrentHashMap<>();
    private static final AtomicBoolean WARMED = new AtomicBoolean();
    private static final CompletableFuture<Void> WARM_DONE = new CompletableFuture<>();
    private static final byte[] ONE_BYTE = {1};
    private static volatile boolean initialised;

    /** The full address of one doorbell: its process and its number there. */
    record BellAddress(long token, int number) {
    }

    /** A cached connection and when it was last rung (a count of rings, for eviction). */
    private static final class Connection {
        final SocketChannel channel;
        volatile long lastRung;

        Connection(SocketChannel channel) {
            this.channel = channel;
        }
    }

    private Doorbells() {
    }

    private static Path bellDirectory() {
        String user = Directories.safeName(System.getProperty("user.name", "user"));
        Path shm = Path.of("/dev/shm");
        Path base = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of("/tmp");
        // "bells2": socket names carry node-file tokens (PID + random bits); older copies sweep by start time.
        return base.resolve(".mmipc-bells2-" + user);
    }

    /**
     * Loads and links the socket machinery on a daemon thread, once per process, so the first wake-up
     * does not pay ~40 ms of class loading on the waker's or the sleeper's critical path.
     */
    static void prewarm() {
        if (!WakeWarmup.deferred()) {
            prewarmNow();
        }
    }

    /**
     * Starts the prewarm thread unless it was started before.
     *
     * @return completes when the socket machinery is loaded (or its loading failed)
     */
    static CompletableFuture<Void> prewarmNow() {
        if (!WARMED.compareAndSet(false, true)) {
            return WARM_DONE;
        }
        Thread t = new Thread(() -> {
            try {
                release(borrow());
                ring(ProcessIdentity.self(), -1);
            } catch (RuntimeException e) {
                // Best effort: the real first use will report any problem.
                Log.WAIT.log(Level.DEBUG, "doorbell prewarm failed", e);
            } finally {
                WARM_DONE.complete(null);
            }
        }, "mmipc-doorbell-prewarm");
        t.setDaemon(true);
        t.start();
        return WARM_DONE;
    }

    /** Borrows a doorbell for one sleep; give it back with {@link #release(Doorbell)}. */
    static Doorbell borrow() {
        Doorbell bell = POOL.pollFirst();
        if (bell != null) {
            return bell;
        }
        try {
            init();
            while (true) {
                int number = NEXT.getAndIncrement();
                Doorbell created = Doorbell.createIfAbsent(number, path(ProcessIdentity.self(), number));
                if (created != null) {
                    ALL.put(number, created);
                    return created;
                }
                // That number is another copy of mmipc's in this JVM (another class loader): skip it.
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a doorbell in " + DIR, e);
        }
    }

    /** Returns a doorbell to the pool. */
    static void release(Doorbell bell) {
        release(bell, false);
    }

    /**
     * Returns a doorbell to the pool, or, if its sleep ended without a ring and its socket file is gone (another
     * process's sweep deleted it: nobody can ring it any more), closes it so that the next sleep makes a new one.
     * Checked only after a sleep that nothing ended, so a ringing doorbell never pays for the check.
     */
    static void release(Doorbell bell, boolean unrung) {
        if (unrung && !Files.exists(bell.path(), LinkOption.NOFOLLOW_LINKS)) {
            ALL.remove(bell.number(), bell);
            bell.abandon();
            return;
        }
        POOL.addFirst(bell);
    }

    /**
     * Rings doorbell {@code number} of process {@code token}. A doorbell that is gone (its process died or
     * exited) is ignored: the cost of a dead waiter is this one failed attempt.
     *
     * @return false if the doorbell no longer exists
     */
    static boolean ring(long token, int number) {
        BellAddress key = new BellAddress(token, number);
        Connection c = CONNECTIONS.get(key);
        try {
            if (c == null) {
                SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    ch.connect(UnixDomainSocketAddress.of(path(token, number)));
                    ch.configureBlocking(false);
                } catch (IOException e) {
                    ch.close();
                    return false;
                }
                c = new Connection(ch);
                Connection raced = CONNECTIONS.putIfAbsent(key, c);
                if (raced != null) {
                    ch.close();
                    c = raced;
                }
            }
            c.lastRung = RINGS.incrementAndGet();
            c.channel.write(ByteBuffer.wrap(ONE_BYTE));
            if (CONNECTIONS.size() > MAX_CONNECTIONS) {
                trim();
            }
            return true;
        } catch (IOException e) {
            drop(key, c);
            return false;
        }
    }

    /** Drops connections to dead processes, then the least recently rung, down to 3/4 of the bound. */
    private static synchronized void trim() {
        Map<Long, Boolean> alive = new HashMap<>();
        for (Map.Entry<BellAddress, Connection> e : CONNECTIONS.entrySet()) {
            long token = e.getKey().token();
            if (!alive.computeIfAbsent(token, ProcessIdentity::isAlive)) {
                drop(e.getKey(), e.getValue());
            }
        }
        int excess = CONNECTIONS.size() - MAX_CONNECTIONS * 3 / 4;
        if (excess > 0) {
            CONNECTIONS.entrySet().stream()
                    .sorted(Comparator.comparingLong(e -> e.getValue().lastRung))
                    .limit(excess)
                    .collect(Collectors.toList())
                    .forEach(e -> drop(e.getKey(), e.getValue()));
        }
    }

    private static void drop(BellAddress key, Connection c) {
        CONNECTIONS.remove(key, c);
        try {
            c.channel.close();
        } catch (IOException e) {
            Log.WAIT.log(Level.DEBUG, "closing a broken doorbell connection failed", e);
        }
    }

    /** @return the number of cached connections (for tests) */
    static int cachedConnections() {
        return CONNECTIONS.size();
    }

    /** @return the socket file of doorbell {@code number} of process {@code token} */
    static Path path(long token, int number) {
        return DIR.resolve(ProcessIdentity.pid(token) + "-" + (token >>> 22) + "-" + number);
    }

    private static synchronized void init() throws IOException {
        if (initialised) {
            return;
        }
        // Registered in the bell folder's own node folder before any socket exists, so sweeps can check us there.
        Directories.prepare(DIR, true);
        sweepDead();
        // Only the files: closing a selector under a thread still blocked in it (a take() in a JVM being
        // terminated) would throw ClosedSelectorException there; the kernel closes the sockets at exit.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ALL.values().forEach(Doorbell::deleteFile),
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
                    if (!ProcessIdentity.isAlive(token, Directories.nodesDirectory(DIR))) {
                        Files.deleteIfExists(f);
                    }
                } catch (NumberFormatException | IOException e) {
                    // Not ours, or already gone.
                    Log.WAIT.log(Level.DEBUG, "doorbell sweep left " + f, e);
                }
            }
        } catch (IOException e) {
            // Best effort: the next process to start a doorbell sweeps again.
            Log.WAIT.log(Level.DEBUG, "doorbell sweep of " + DIR + " failed", e);
        }
    }
}
