package io.mmipc.bench.sync;

import io.mmipc.sync.SharedEvent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The other process of a contended synchronization benchmark: opens the same objects and runs the same
 * operation in a loop, as fast as it can, until the benchmark sets the {@code stop} event; then prints how
 * many operations it did.
 *
 * <p>Run as {@code SyncPeer <kind> <folder>}; {@link #start} does that with this JVM's java, classpath,
 * {@code mmipc.*} wait properties and native-access option, and returns once the peer is running its loop.
 */
public final class SyncPeer {
    private SyncPeer() {
    }

    /** Opens, says "ready", loops until stopped, prints "ops=N". */
    public static void main(String[] args) throws Exception {
        SyncOp.Kind kind = SyncOp.Kind.valueOf(args[0]);
        Path dir = Path.of(args[1]);
        long ops = 0;
        try (SyncOp op = SyncOp.open(kind, dir); SharedEvent stop = SharedEvent.builder("stop").directory(dir).open()) {
            System.out.println("ready");
            System.out.flush();
            while (true) {
                for (int i = 0; i < 256; i++) {
                    op.run();
                }
                ops += 256;
                if (stop.isSet()) {
                    break;
                }
            }
        }
        System.out.println("ops=" + ops);
    }

    /** Starts a peer JVM for {@code kind} in {@code dir} and waits until it runs (stderr inherited). */
    public static Process start(SyncOp.Kind kind, Path dir) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Xmx256m");
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--enable-native-access")) {
                cmd.add(arg); // so that both processes can wait on a futex (WaitMode.AUTO needs every side able to)
            }
        }
        for (String property : new String[] {"mmipc.wait", "mmipc.spinNanos"}) {
            String value = System.getProperty(property);
            if (value != null) {
                cmd.add("-D" + property + "=" + value);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(SyncPeer.class.getName());
        cmd.add(kind.name());
        cmd.add(dir.toString());
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (!"ready".equals(line)) {
            p.destroyForcibly();
            throw new IOException("sync peer did not start: first line=" + line);
        }
        return p;
    }

    /**
     * Waits for a stopped peer to exit (killing it after 10 s) and returns what it printed last.
     *
     * @return the peer's "ops=N" line, or a note that it had to be killed
     */
    public static String stop(Process peer) throws InterruptedException, IOException {
        if (!peer.waitFor(10, TimeUnit.SECONDS)) {
            peer.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            return "peer killed";
        }
        return new String(peer.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    }
}
