package io.mmipc.bench.pipe;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The other process of a pipe benchmark: connects, then for every message whose first byte is
 * {@link #REPLY} sends it straight back (other messages are only received), until end-of-stream.
 *
 * <p>Run as {@code PipePeer <MMIPC_PIPE|UDS> <folder>}; {@link #start} does that with this JVM's java and
 * classpath.
 */
public final class PipePeer {
    /** First byte of a message the peer answers. */
    public static final byte REPLY = 1;

    private PipePeer() {
    }

    /** Connects and serves until end-of-stream. */
    public static void main(String[] args) throws Exception {
        PipeTransport.Kind kind = PipeTransport.Kind.valueOf(args[0]);
        try (PipeTransport t = kind.connect(Path.of(args[1]))) {
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
            while (t.receive(buf) >= 0) {
                if (buf.get(0) == REPLY) {
                    t.send(buf);
                }
            }
        }
    }

    /** Starts a peer JVM for {@code kind} in {@code dir} (stdout and stderr inherited). */
    public static Process start(PipeTransport.Kind kind, Path dir) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Xmx256m");
        String wait = System.getProperty("mmipc.wait");
        if (wait != null) {
            cmd.add("-Dmmipc.wait=" + wait);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(PipePeer.class.getName());
        cmd.add(kind.name());
        cmd.add(dir.toString());
        return new ProcessBuilder(cmd).inheritIO().start();
    }

    /** Waits for a peer to exit after its transport was closed; kills it if it does not. */
    public static void stop(Process peer) throws InterruptedException {
        if (!peer.waitFor(10, TimeUnit.SECONDS)) {
            peer.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
