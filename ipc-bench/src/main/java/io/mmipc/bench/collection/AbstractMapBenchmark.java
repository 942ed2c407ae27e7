package io.mmipc.bench.collection;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Shared-map operations per second in this process while a peer process runs the same operation on the same
 * map ({@link MapPeer}): {@code get} of a hot key, {@code put} over 1000 keys, {@code merge}-increment of one
 * counter. The peer's own rate is printed at the end of each trial ({@code [map peer] ... ops/s}); the two
 * together are the two-process rate. A subclass per implementation (and its JVM flags).
 * {@link MapComparison} puts Python's {@code Manager().dict()} beside these in one run.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(java.util.concurrent.TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public abstract class AbstractMapBenchmark {
    /** The operation. */
    @Param({"GET", "PUT", "MERGE"})
    public MapOps.Op op;

    private Path dir;
    private MapPeer peer;
    private MapOps map;
    private int i;

    /** @return the implementation measured */
    protected abstract MapOps.Impl impl();

    /**
     * Creates the map in a private folder and starts the peer.
     *
     * @throws IOException if either fails
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path shm = Path.of("/dev/shm");
        dir = Files.createTempDirectory(Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir")),
                "mmipc-bench-map-");
        map = MapOps.open(impl(), dir);
        peer = MapPeer.start(impl(), op, dir, 0, 3_600_000);
        peer.go();
    }

    /**
     * Stops the peer, prints its rate, removes the map.
     *
     * @throws IOException if the folder cannot be removed
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try {
            peer.stop();
            System.out.printf(Locale.ROOT, "[map peer] %s %s: %.0f ops/s%n", impl(), op, peer.opsPerSecond());
        } finally {
            peer.close();
            map.close();
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /** @return one operation's result (consumed by JMH) */
    @Benchmark
    public Object operation() {
        return map.run(op, i++);
    }
}
