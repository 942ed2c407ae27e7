package io.mmipc.examples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs an example the way the issue asks every example to behave: in a moved objects folder
 * ({@code -Dmmipc.dir}, a private 0700 folder of the test's own), twice in a row with no clean-up between,
 * leaving no object, spill file or pool folder behind after each run. Only {@code .nodes/} may stay: the
 * liveness files of processes, which the next user of the folder sweeps (see docs/identity.md).
 */
final class ExampleRuns {
    private ExampleRuns() {
    }

    /**
     * @return the printed output of each of the two runs
     */
    static List<String> twice(Example.Entry entry, String... args) throws Exception {
        Path base = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        Path dir = Files.createTempDirectory(base, "mmipc-examples-test-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        String before = System.getProperty("mmipc.dir");
        System.setProperty("mmipc.dir", dir.toString());
        try {
            List<String> outputs = new ArrayList<>();
            for (int run = 1; run <= 2; run++) {
                ByteArrayOutputStream captured = new ByteArrayOutputStream();
                try (PrintStream out = new PrintStream(new Tee(captured, System.out), true, StandardCharsets.UTF_8)) {
                    boolean ok = entry.run(out, args);
                    String text = captured.toString(StandardCharsets.UTF_8);
                    assertTrue(ok, "run " + run + " reported a failed check:\n" + text);
                    assertEquals(List.of(), leftovers(dir), "run " + run + " left files behind");
                    outputs.add(text);
                }
            }
            return outputs;
        } finally {
            if (before == null) {
                System.clearProperty("mmipc.dir");
            } else {
                System.setProperty("mmipc.dir", before);
            }
            Examples.deleteTree(dir);
        }
    }

    /** @return everything in {@code dir} except the node folder */
    private static List<String> leftovers(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString())
                    .filter(name -> !name.equals(".nodes") && !name.startsWith(".nodes/"))
                    .sorted().collect(Collectors.toList());
        }
    }

    /** Writes to the capture and, so the test log shows the run, to this JVM's stdout. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
            b.flush();
        }

        @Override
        public void close() throws IOException {
            a.flush();
            b.flush(); // System.out stays open
        }
    }
}
