package io.mmipc.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's main job, small: worker processes, exactly-once results, shutdown, ping-pong. */
@Timeout(180)
class WorkerPoolDemoTest {
    @Test
    void demoRunsAcrossRealProcesses() throws Exception {
        assertTrue(WorkerPoolDemo.run(2, 5_000, 2_000));
    }

    /** With {@code -Dmmipc.dir} the workers used to look in the default folder and the demo hung. */
    @Test
    void demoWorksWithTheObjectsFolderMoved() throws Exception {
        Path moved = Files.createTempDirectory("mmipc-demo-moved-");
        String before = System.getProperty("mmipc.dir");
        System.setProperty("mmipc.dir", moved.toString());
        try {
            assertTrue(WorkerPoolDemo.run(2, 2_000, 1_000));
        } finally {
            if (before == null) {
                System.clearProperty("mmipc.dir");
            } else {
                System.setProperty("mmipc.dir", before);
            }
            try (Stream<Path> files = Files.walk(moved)) {
                for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
