package io.mmipc.bench.transport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A peer JVM ({@link PeerMain}) and its private folder: {@link #start} makes a fresh folder under
 * {@code /dev/shm} (the temp folder if there is none), starts the peer with this JVM's java binary and class
 * path plus the transport's {@link Transport#jvmFlags() flags}, and waits for its readiness line;
 * {@link #connect} opens the client's end; {@link #close} waits for the peer to exit (killing it if it does
 * not) and deletes the folder. A shutdown hook does the same if the benchmark JVM exits without closing.
 */
public final class PeerProcess implements AutoCloseable {
    /** How long a peer may take to start (JVM start-up on two busy cores can take seconds). */
    private static final long READY_TIMEOUT_SECONDS = 60;
    private static final long EXIT_TIMEOUT_SECONDS = 5;
    /** Name prefix of the peers' folders ({@code scripts/bench} checks that none is left). */
    public static final String DIR_PREFIX = "mmipc-bench-peer-";

    private final Transports.Spec spec;
    private final Path dir;
    private final Process process;
    private final Thread cleanup;
    private boolean closed;

    private PeerProcess(Transports.Spec spec, Path dir, Process process) {
        this.spec = spec;
        this.dir = dir;
        this.process = process;
        this.cleanup = new Thread(this::destroy, "peer-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    /**
     * Starts a peer serving {@code spec} and waits until it is ready.
     *
     * @param spec the transport and idle mode
     * @return the running peer
     * @throws IOException if it cannot start, exits early or is not ready in time
     */
    public static PeerProcess start(Transports.Spec spec) throws IOException {
        Path shm = Path.of("/dev/shm");
        Path base = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        Path dir = Files.createTempDirectory(base, DIR_PREFIX);
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        cmd.add("-Xmx512m");
        cmd.addAll(spec.transport().jvmFlags());
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("mmipc."))
                .forEach(k -> cmd.add("-D" + k + "=" + System.getProperty(k)));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(PeerMain.class.getName());
        cmd.add(spec.toString());
        cmd.add(dir.toString());
        cmd.add(Long.toString(ProcessHandle.current().pid()));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            deleteTree(dir);
            throw e;
        }
        PeerProcess peer = new PeerProcess(spec, dir, p);
        try {
            peer.awaitReady();
        } catch (IOException | RuntimeException e) {
            peer.close();
            throw e;
        }
        return peer;
    }

    private void awaitReady() throws IOException {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.equals(PeerMain.READY)) {
                        ready.complete(null);
                    } else {
                        System.out.println("[peer " + spec + "] " + line);
                    }
                }
                ready.completeExceptionally(new IOException("peer exited before it was ready: transport=" + spec));
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
        }, "peer-stdout");
        reader.setDaemon(true);
        reader.start();
        try {
            ready.get(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException ? (IOException) e.getCause() : new IOException(e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("peer not ready: transport=" + spec + ", timeoutSeconds=" + READY_TIMEOUT_SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the peer", e);
        }
    }

    /**
     * @return the client's end of the channel the peer serves
     * @throws IOException if it cannot be opened
     */
    public Channel connect() throws IOException {
        return spec.transport().connect(dir, spec.idle());
    }

    /** @return the transport and idle mode the peer serves */
    public Transports.Spec spec() {
        return spec;
    }

    /** @return the peer's process */
    public ProcessHandle handle() {
        return process.toHandle();
    }

    /** @return the peer's private folder */
    public Path dir() {
        return dir;
    }

    /**
     * Waits up to 5 s for the peer to exit (the client should have sent {@link Protocol#STOP} or closed its
     * end), kills it otherwise, then deletes its folder. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs destroy() anyway
        }
        try {
            if (!process.waitFor(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                System.err.println("peer " + spec + " did not exit, killing pid " + process.pid());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        destroy();
    }

    private void destroy() {
        process.destroyForcibly();
        try {
            process.waitFor(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteTree(dir);
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }
}
