package io.mmipc.bench.sync;

import io.mmipc.process.SharedProcess;
import io.mmipc.sync.SharedEvent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One trial of a synchronization benchmark: the objects in a private folder under {@code /dev/shm}, this
 * process's operation, and, when contended, a peer JVM running the same operation in a loop.
 */
final class SyncBenchSession implements AutoCloseable {
    final SyncOp op;
    private final Path dir;
    private final SharedEvent stop;
    private final SharedProcess<Void> peer;

    SyncBenchSession(SyncOp.Kind kind, boolean contended) throws IOException {
        Path shm = Path.of("/dev/shm");
        dir = Files.createTempDirectory(Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir")),
                "mmipc-bench-sync-");
        op = SyncOp.create(kind, dir);
        stop = SharedEvent.builder("stop").directory(dir).create();
        peer = contended ? SyncPeer.start(kind, dir) : null;
    }

    @Override
    public void close() throws IOException {
        stop.set();
        if (peer != null) {
            try {
                System.out.println("[sync peer] " + SyncPeer.stop(peer));
            } catch (InterruptedException e) {
                peer.kill();
                Thread.currentThread().interrupt();
            }
        }
        op.close();
        stop.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
