package io.mmipc.bench.pool;

import io.mmipc.codec.Codecs;
import io.mmipc.process.RemoteFunction;
import io.mmipc.process.RemoteRunnable;
import io.mmipc.process.SharedProcess;
import io.mmipc.process.SharedPool;
import io.mmipc.queue.SharedQueue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * An ad-hoc start-up probe, beside {@link PoolBench}, for comparing two builds run alternately (the class path
 * decides which ipc-core it measures):
 * <ul>
 *   <li>{@code pool [pools]}: starts that many 2-worker pools one after another (default 4) and prints, for
 *       each, the milliseconds from {@code builder().start()} to both workers' first results; the first pool
 *       also pays this JVM's own class loading.</li>
 *   <li>{@code open}: prints the milliseconds from {@code main} to this fresh JVM's first queue created (run it
 *       as its own JVM, several times).</li>
 *   <li>{@code process [runs]}: runs a task that does nothing in a {@link SharedProcess} (class-data sharing
 *       on) that many times (default 4) and prints, for each, the milliseconds from {@code start()} to
 *       {@code join()} returning, exit included.</li>
 * </ul>
 */
public final class StartupProbe {
    private static final RemoteFunction<Integer, Integer> INC = x -> x + 1;
    private static final RemoteRunnable NOTHING = () -> { };

    private StartupProbe() {
    }

    /**
     * @param args {@code pool [pools]}, {@code open} or {@code process [runs]}
     * @throws Exception if a pool or the queue cannot be made
     */
    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        if (args.length > 0 && args[0].equals("open")) {
            Path dir = Files.createDirectory(Path.of("/dev/shm", "mmipc-startup-probe-" + ProcessHandle.current().pid()),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            try (SharedQueue<byte[]> q = SharedQueue.builder("q", Codecs.bytes()).directory(dir).create()) {
                long created = System.nanoTime();
                q.unlink();
                System.out.printf("first queue created %.1f ms after main%n", (created - t0) / 1e6);
            } finally {
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path f : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                        Files.deleteIfExists(f);
                    }
                }
            }
            return;
        }
        if (args.length > 0 && args[0].equals("process")) {
            int runs = args.length > 1 ? Integer.parseInt(args[1]) : 4;
            for (int i = 0; i < runs; i++) {
                long start = System.nanoTime();
                SharedProcess<Void> p = SharedProcess.builder(NOTHING).classDataSharing(true).start();
                p.join();
                System.out.printf("process %d: start() to join() %.1f ms, exit code %d%n", i + 1,
                        (System.nanoTime() - start) / 1e6, p.exitCode().orElse(-1));
            }
            return;
        }
        int pools = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        for (int i = 0; i < pools; i++) {
            long start = System.nanoTime();
            try (SharedPool pool = SharedPool.builder().workers(2).start()) {
                pool.map(INC, List.of(1, 2), 1);
                System.out.printf("pool %d: both workers' first results %.1f ms after start()%n", i + 1,
                        (System.nanoTime() - start) / 1e6);
            }
        }
    }
}
