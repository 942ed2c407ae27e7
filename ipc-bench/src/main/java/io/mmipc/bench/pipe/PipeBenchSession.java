package io.mmipc.bench.pipe;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** One benchmark's transport and peer process, in a private folder under {@code /dev/shm}. */
final class PipeBenchSession implements AutoCloseable {
    final PipeTransport transport;
    final ByteBuffer out;
    final ByteBuffer in;
    private final Process peer;
    private final Path dir;

    PipeBenchSession(PipeTransport.Kind kind, int size) throws IOException {
        Path shm = Path.of("/dev/shm");
        dir = Files.createTempDirectory(Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir")),
                "mmipc-bench-pipe-");
        transport = kind.listen(dir);
        peer = PipePeer.start(kind, dir);
        out = ByteBuffer.allocateDirect(size);
        in = ByteBuffer.allocateDirect(Math.max(size, 64));
    }

    /** Sends the message buffer, with {@code reply} as its first byte. */
    void send(boolean reply) throws IOException, InterruptedException {
        out.clear();
        out.put(0, reply ? PipePeer.REPLY : 0);
        transport.send(out);
    }

    @Override
    public void close() throws IOException {
        transport.close();
        try {
            PipePeer.stop(peer);
        } catch (InterruptedException e) {
            peer.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
