package io.mmipc.collection;

import io.mmipc.codec.Codecs;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * Child JVM for the cross-process map and list tests. Arguments: folder, mode, then mode-specific ones. Prints
 * {@code done} when finished; with {@code -Dmmipc.test.crashPoint=...} it stops at that point instead (and
 * prints {@code crash-point <name>}) for its parent to kill it.
 */
public final class CollectionChild {
    private CollectionChild() {
    }

    static SharedMap<String, Long> counters(Path dir) throws Exception {
        return SharedMap.builder("counters", Codecs.string(), Codecs.int64()).directory(dir).open();
    }

    static SharedMap<String, byte[]> blobs(Path dir) throws Exception {
        return SharedMap.builder("blobs", Codecs.string(), Codecs.bytes()).directory(dir).open();
    }

    static SharedList<String> list(Path dir) throws Exception {
        return SharedList.builder("list", Codecs.string()).directory(dir).open();
    }

    /** A value of {@code size} bytes whose contents depend on {@code seed}. */
    static byte[] blob(int seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /**
     * Acknowledgements that survive SIGKILL: one unbuffered write(2) per record to {@code <dir>/acks}. (Lines
     * on stdout do not: {@code Process.destroyForcibly} closes the parent's end of the pipe, dropping what it
     * had not read yet.)
     */
    static final class Acks implements AutoCloseable {
        private final java.io.FileOutputStream out;

        Acks(Path dir) throws java.io.IOException {
            out = new java.io.FileOutputStream(dir.resolve("acks").toFile(), false);
        }

        void record(long n) throws java.io.IOException {
            out.write((n + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }

        /** @return the largest number recorded in {@code dir}, or -1 */
        static long last(Path dir) throws java.io.IOException {
            long max = -1;
            for (String line : java.nio.file.Files.readAllLines(dir.resolve("acks"))) {
                if (!line.isEmpty()) {
                    max = Math.max(max, Long.parseLong(line.trim()));
                }
            }
            return max;
        }

        @Override
        public void close() throws java.io.IOException {
            out.close();
        }
    }

    /** A value whose bytes all equal {@code (byte) i}, of a length that varies with {@code i}. */
    static byte[] uniform(int i) {
        byte[] b = new byte[1 + (i * 37) % 3000];
        Arrays.fill(b, (byte) i);
        return b;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String mode = args[1];
        switch (mode) {
            case "decrement":
                try (SharedMap<String, Long> m = counters(dir)) {
                    m.merge("counter", -1L, Long::sum);
                }
                break;
            case "hammer": {
                // args: id, iterations: merge +1 on a shared key, and put own keys
                int id = Integer.parseInt(args[2]);
                int n = Integer.parseInt(args[3]);
                try (SharedMap<String, Long> m = counters(dir)) {
                    System.out.println("ready");
                    for (int i = 0; i < n; i++) {
                        m.merge("same", 1L, Long::sum);
                        m.put("p" + id + "-" + i, (long) i);
                        m.compute("own" + id, (k, v) -> v == null ? 1 : v + 1);
                    }
                }
                break;
            }
            case "hammerFor": {
                // args: id, millis: merge +1 on a shared key, put own keys p<id>-<i % 500>, count own; then "done N"
                int id = Integer.parseInt(args[2]);
                long end = System.nanoTime() + Long.parseLong(args[3]) * 1_000_000L;
                try (SharedMap<String, Long> m = counters(dir)) {
                    System.out.println("ready");
                    long i = 0;
                    while (System.nanoTime() < end) {
                        m.merge("same", 1L, Long::sum);
                        m.put("p" + id + "-" + i % 500, i);
                        m.compute("own" + id, (k, v) -> v == null ? 1 : v + 1);
                        i++;
                    }
                    System.out.println("done " + i);
                }
                break;
            }
            case "churn": {
                // random puts/removes/merges until killed; records each acknowledged count of key "acked"
                Random r = new Random(Long.parseLong(args[2]));
                try (SharedMap<String, Long> m = counters(dir); Acks acks = new Acks(dir)) {
                    System.out.println("ready");
                    for (long i = 1; ; i++) {
                        String k = "k" + r.nextInt(300);
                        switch (r.nextInt(4)) {
                            case 0:
                                m.remove(k);
                                break;
                            case 1:
                                m.merge(k, 1L, Long::sum);
                                break;
                            default:
                                m.put(k, i);
                        }
                        acks.record(m.merge("acked", 1L, Long::sum));
                    }
                }
            }
            case "op": {
                // one operation, for the crash points: put/remove/clear/grow
                try (SharedMap<String, Long> m = counters(dir)) {
                    switch (args[2]) {
                        case "put":
                            m.put(args[3], Long.parseLong(args[4]));
                            break;
                        case "remove":
                            m.remove(args[3]);
                            break;
                        case "clear":
                            m.clear();
                            break;
                        default:
                            for (int i = 0; i < 1000; i++) {
                                m.put("grow" + i, (long) i);
                            }
                    }
                }
                break;
            }
            case "fill": {
                // args: count: puts count entries with 100-byte-ish keys (growth past the first segment)
                int n = Integer.parseInt(args[2]);
                try (SharedMap<String, Long> m = counters(dir)) {
                    for (int i = 0; i < n; i++) {
                        m.put("fill-" + i + "-" + "x".repeat(80), (long) i);
                    }
                }
                break;
            }
            case "blobs": {
                // args: seed size...: puts blob(seed, size) under "b<size>"
                try (SharedMap<String, byte[]> m = blobs(dir)) {
                    int seed = Integer.parseInt(args[2]);
                    for (int i = 3; i < args.length; i++) {
                        int size = Integer.parseInt(args[i]);
                        m.put("b" + size, blob(seed, size));
                    }
                }
                break;
            }
            case "uniform": {
                // args: iterations: rewrites 4 keys with values whose bytes are all equal (lengths vary)
                int n = Integer.parseInt(args[2]);
                try (SharedMap<String, byte[]> m = blobs(dir)) {
                    System.out.println("ready");
                    for (int i = 0; i < n; i++) {
                        m.put("u" + (i & 3), uniform(i));
                    }
                }
                break;
            }
            case "append": {
                int id = Integer.parseInt(args[2]);
                int n = Integer.parseInt(args[3]);
                try (SharedList<String> l = list(dir)) {
                    System.out.println("ready");
                    for (int i = 0; i < n; i++) {
                        l.add("c" + id + "-" + i);
                    }
                }
                break;
            }
            case "appendForever": {
                // appends "x<i>" and records i once each append returned, until killed
                try (SharedList<String> l = list(dir); Acks acks = new Acks(dir)) {
                    System.out.println("ready");
                    for (int i = 0; ; i++) {
                        l.add("x" + i);
                        acks.record(i);
                        if (i % 50 == 49) {
                            l.update(0, s -> s + "+");
                        }
                    }
                }
            }
            case "increment": {
                // args: n: update(0, +1) n times
                int n = Integer.parseInt(args[2]);
                try (SharedList<String> l = list(dir)) {
                    for (int i = 0; i < n; i++) {
                        l.update(0, s -> String.valueOf(Integer.parseInt(s) + 1));
                    }
                }
                break;
            }
            case "listop": {
                try (SharedList<String> l = list(dir)) {
                    switch (args[2]) {
                        case "append":
                            l.add(args[3]);
                            break;
                        case "set":
                            l.set(Integer.parseInt(args[3]), args[4]);
                            break;
                        case "insert":
                            l.add(Integer.parseInt(args[3]), args[4]);
                            break;
                        default:
                            l.remove(Integer.parseInt(args[3]));
                    }
                }
                break;
            }
            default:
                throw new IllegalArgumentException("mode=" + mode + " args=" + Arrays.toString(args));
        }
        System.out.println("done");
    }
}
