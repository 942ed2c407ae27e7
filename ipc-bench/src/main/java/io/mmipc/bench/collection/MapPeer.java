package io.mmipc.bench.collection;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A process hammering a shared map: opens it, prints {@code ready}, waits for {@code go} on stdin, runs the
 * operation for the warm-up time (not counted), then counts operations for the measured time, and prints
 * {@code ops=N nanos=T} (earlier if told {@code stop} or its stdin closes). Run as {@code MapPeer <impl> <op> <folder> <warmupMs> <measureMs>};
 * {@link #start} does that with this JVM's java and classpath and the implementation's flags.
 */
public final class MapPeer implements AutoCloseable {
    private static volatile boolean stopped;
    private final Process process;
    private final BufferedReader out;
    private final Writer in;

    private MapPeer(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    /** Peer main. */
    public static void main(String[] args) throws Exception {
        MapOps.Impl impl = MapOps.Impl.valueOf(args[0]);
        MapOps.Op op = MapOps.Op.valueOf(args[1]);
        Path dir = Path.of(args[2]);
        long warmup = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[3]));
        long measure = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[4]));
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (MapOps map = MapOps.open(impl, dir)) {
            System.out.println("ready");
            System.out.flush();
            if (!"go".equals(stdin.readLine())) {
                return;
            }
            Thread watcher = new Thread(() -> {
                try {
                    stdin.readLine();   // "stop", or end of input when the parent closes or dies
                } catch (IOException ignored) {
                    // treat as stop
                }
                stopped = true;
            }, "map-peer-stop");
            watcher.setDaemon(true);
            watcher.start();
            Object sink = null;
            int i = 0;
            long end = System.nanoTime() + warmup;
            while (System.nanoTime() < end && !stopped) {
                for (int k = 0; k < 64; k++) {
                    sink = map.run(op, i++);
                }
            }
            long ops = 0;
            long start = System.nanoTime();
            end = start + measure;
            long now;
            while ((now = System.nanoTime()) < end && !stopped) {
                for (int k = 0; k < 64; k++) {
                    sink = map.run(op, i++);
                }
                ops += 64;
            }
            System.out.println("ops=" + ops + " nanos=" + (now - start) + " sink=" + (sink == null ? 0 : 1));
        }
    }

    /**
     * Starts a peer JVM and waits until it has the map open.
     *
     * @return the running peer, waiting for {@link #go()}
     */
    public static MapPeer start(MapOps.Impl impl, MapOps.Op op, Path dir, long warmupMs, long measureMs)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Xmx256m");
        if (impl == MapOps.Impl.CHRONICLE) {
            cmd.addAll(List.of(ChronicleMapOps.FLAGS));
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(MapPeer.class.getName());
        cmd.add(impl.name());
        cmd.add(op.name());
        cmd.add(dir.toString());
        cmd.add(String.valueOf(warmupMs));
        cmd.add(String.valueOf(measureMs));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        MapPeer peer = new MapPeer(p);
        String line = peer.out.readLine();
        if (!"ready".equals(line)) {
            p.destroyForcibly();
            throw new IOException("map peer (" + impl + ") did not start: first line=" + line);
        }
        return peer;
    }

    /** Tells the peer to start. */
    public void go() throws IOException {
        in.write("go\n");
        in.flush();
    }

    /** Tells the peer to stop now (it then prints its count). */
    public void stop() throws IOException {
        in.write("stop\n");
        in.flush();
    }

    /** @return the peer's operations per second, once it finished */
    public double opsPerSecond() throws IOException {
        String line = out.readLine();
        if (line == null || !line.startsWith("ops=")) {
            throw new IOException("map peer failed: line=" + line);
        }
        String[] parts = line.split(" ");
        long ops = Long.parseLong(parts[0].substring(4));
        long nanos = Long.parseLong(parts[1].substring(6));
        return ops * 1e9 / nanos;
    }

    @Override
    public void close() {
        try {
            in.close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
