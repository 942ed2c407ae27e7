package io.mmipc.bench.sync;

import io.mmipc.process.SharedProcess;
import io.mmipc.sync.SharedEvent;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The other process of a contended synchronization benchmark: opens the same objects and runs the same
 * operation in a loop, as fast as it can, until the benchmark sets the {@code stop} event; then prints how
 * many operations it did.
 *
 * <p>Run as {@code SyncPeer <kind> <folder>}; {@link #start} does that through
 * {@link io.mmipc.process.SharedProcess} and returns once the peer is running its loop.
 */
public final class SyncPeer {
    /** Each running peer's stdout lines (its readiness line, then its count). */
    private static final Map<SharedProcess<Void>, LinkedBlockingQueue<String>> LINES = new ConcurrentHashMap<>();

    private SyncPeer() {
    }

    /** Opens, says "ready", loops until stopped, prints "ops=N". */
    public static void main(String[] args) throws Exception {
        SyncOp.Kind kind = SyncOp.Kind.valueOf(args[0]);
        Path dir = Path.of(args[1]);
        long ops = 0;
        try (SyncOp op = SyncOp.open(kind, dir); SharedEvent stop = SharedEvent.builder("stop").directory(dir).open()) {
            System.out.println("ready");
            System.out.flush();
            while (true) {
                for (int i = 0; i < 256; i++) {
                    op.run();
                }
                ops += 256;
                if (stop.isSet()) {
                    break;
                }
            }
        }
        System.out.println("ops=" + ops);
    }

    /**
     * Starts a peer JVM for {@code kind} in {@code dir} through the library's launcher (this JVM's java, class
     * path, {@code mmipc.*} properties and native-access option, so both sides can wait on a futex) and waits
     * until it runs its loop.
     *
     * @return the running peer
     * @throws IOException if it cannot start or is not ready within a minute
     */
    public static SharedProcess<Void> start(SyncOp.Kind kind, Path dir) throws IOException {
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        SharedProcess<Void> p = SharedProcess.builder(SyncPeer.class, kind.name(), dir.toString()).name("sync-peer")
                .jvmOptions("-Xmx256m").stdout(lines::add).start();
        LINES.put(p, lines);
        String line;
        try {
            line = lines.poll(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            line = null;
        }
        if (!"ready".equals(line)) {
            p.close();
            throw new IOException("sync peer did not start: first line=" + line);
        }
        return p;
    }

    /**
     * Waits for a stopped peer to exit (killing it after 10 s) and returns what it printed last.
     *
     * @return the peer's "ops=N" line, or a note that it had to be killed
     */
    public static String stop(SharedProcess<Void> peer) throws InterruptedException {
        LinkedBlockingQueue<String> lines = LINES.remove(peer);
        if (!peer.join(Duration.ofSeconds(10))) {
            peer.close();
            return "peer killed";
        }
        String last = null;
        for (String l : lines) {
            last = l;
        }
        return last;
    }
}
