package io.mmipc.bench.transport;

import io.mmipc.process.SharedProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A peer JVM ({@link PeerMain}, or any main class that prints {@link PeerMain#READY}) and its folder: {@link #start} makes a fresh folder under
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

    private final String label;
    private final Transports.Spec spec;
    private final Path dir;
    private final boolean ownsDir;
    private final SharedProcess<Void> process;
    private final Thread cleanup;
    private boolean closed;

    private PeerProcess(String label, Transports.Spec spec, Path dir, boolean ownsDir, SharedProcess<Void> process) {
        this.label = label;
        this.spec = spec;
        this.dir = dir;
        this.ownsDir = ownsDir;
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
        Path dir = newDir();
        try {
            return launch(spec.toString(), spec, spec.jvmFlags(), PeerMain.class,
                    List.of(spec.toString(), dir.toString()), dir, true);
        } catch (IOException | RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
    }

    /**
     * Starts {@code main} with no JVM flags, as a peer working in a folder its caller owns (several peers may
     * share it; {@link #close} leaves it), and waits for its readiness line. The command line is {@code args}
     * followed by this process's id, for the peer's {@link PeerMain#watchParent watchdog}.
     *
     * @param label names the peer in its output and errors
     * @param main  a class with a {@code main} that prints {@link PeerMain#READY} when ready
     * @param args  its arguments
     * @param dir   the shared folder
     * @return the running peer
     * @throws IOException if it cannot start, exits early or is not ready in time
     */
    public static PeerProcess start(String label, Class<?> main, List<String> args, Path dir) throws IOException {
        return launch(label, null, List.of(), main, args, dir, false);
    }

    /**
     * @return a new private folder under {@code /dev/shm} (the temp folder if there is none), named
     *     {@link #DIR_PREFIX}...
     * @throws IOException if it cannot be made
     */
    public static Path newDir() throws IOException {
        Path shm = Path.of("/dev/shm");
        Path base = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        return Files.createTempDirectory(base, DIR_PREFIX);
    }

    private static PeerProcess launch(String label, Transports.Spec spec, List<String> flags, Class<?> main,
            List<String> args, Path dir, boolean ownsDir) throws IOException {
        List<String> all = new ArrayList<>(args);
        all.add(Long.toString(ProcessHandle.current().pid()));
        CompletableFuture<Void> ready = new CompletableFuture<>();
        // the library's launcher: this JVM's java, class path, mmipc.* properties and native-access option
        SharedProcess<Void> p = SharedProcess.builder(main, all.toArray(new String[0])).name("peer-" + label)
                .jvmOptions("-Xmx512m").jvmOptions(flags).stdout(line -> {
                    if (line.equals(PeerMain.READY)) {
                        ready.complete(null);
                    } else {
                        System.out.println("[peer " + label + "] " + line);
                    }
                }).start();
        p.toHandle().onExit().thenRun(() -> ready.completeExceptionally(
                new IOException("peer exited before it was ready: peer=" + label)));
        PeerProcess peer = new PeerProcess(label, spec, dir, ownsDir, p);
        try {
            peer.awaitReady(ready);
        } catch (IOException | RuntimeException e) {
            peer.close();
            throw e;
        }
        return peer;
    }

    private void awaitReady(CompletableFuture<Void> ready) throws IOException {
        try {
            ready.get(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException ? (IOException) e.getCause() : new IOException(e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("peer not ready: peer=" + label + ", timeoutSeconds=" + READY_TIMEOUT_SECONDS);
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
        if (spec == null) {
            throw new IllegalStateException("not a transport peer: peer=" + label);
        }
        return spec.transport().connect(dir, spec.idle());
    }

    /** @return the transport and idle mode the peer serves, or null for a peer started by class */
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
     * end), kills it otherwise, then deletes its folder if it made it. Idempotent.
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
            if (!process.join(Duration.ofSeconds(EXIT_TIMEOUT_SECONDS))) {
                System.err.println("peer " + label + " did not exit, killing pid " + process.pid());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        destroy();
    }

    private void destroy() {
        process.close(); // kills it if still running, and waits
        if (ownsDir) {
            deleteTree(dir);
        }
    }

    /**
     * Deletes a folder and everything in it, reporting (not throwing) what it could not delete.
     *
     * @param dir the folder
     */
    public static void deleteTree(Path dir) {
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
