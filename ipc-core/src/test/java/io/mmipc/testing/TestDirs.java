package io.mmipc.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Fresh folders for test objects, under {@code /dev/shm} when it exists, removed by {@link #delete}. */
public final class TestDirs {
    private TestDirs() {
    }

    /** @return a new empty folder for one test */
    public static Path create(String prefix) throws IOException {
        Path shm = Path.of("/dev/shm");
        Path base = Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        return Files.createTempDirectory(base, "mmipc-test-" + prefix + "-");
    }

    /** @return how many side files of spilled queue messages ({@code *.spill-*}) are in {@code dir} now */
    public static long spillFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().contains(".spill-")).count();
        }
    }

    /** Deletes a folder and everything in it. */
    public static void delete(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
