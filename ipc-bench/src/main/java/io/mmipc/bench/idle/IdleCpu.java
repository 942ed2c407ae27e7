package io.mmipc.bench.idle;

import com.google.gson.GsonBuilder;
import io.mmipc.bench.transport.Channel;
import io.mmipc.bench.transport.PeerProcess;
import io.mmipc.bench.transport.Protocol;
import io.mmipc.bench.transport.Transports;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Idle cost: the CPU a peer process burns while blocked on an empty channel, per transport and idle strategy.
 * For each spec it starts a peer, connects, lets it settle, then reads the peer's total CPU time
 * ({@link ProcessHandle.Info#totalCpuDuration()}, user + system, from {@code /proc/<pid>/stat}) before and
 * after a quiet interval and reports the difference as a percentage of one core. A plain program, not JMH:
 * there is nothing to time in the benchmark's own JVM. The number includes the peer JVM's own background
 * threads (GC, JIT), which is what a user pays too.
 *
 * <pre>
 * IdleCpu [--seconds 3] [--settle 1] [--out idle.json] [spec ...]
 * </pre>
 * With no spec it measures {@link #DEFAULT_SPECS}. Agrona's and Chronicle's specs need their flags
 * in this JVM's command line too (the client end maps their files).
 */
public final class IdleCpu {
    /** What is measured by default: every transport with each of its interesting idle modes. */
    public static final List<String> DEFAULT_SPECS = List.of(
            "mmipc-queue:auto", "mmipc-queue:spin", "mmipc-pipe:auto",
            "uds:block", "tcp:block",
            "agrona:spin", "agrona:yield", "agrona:backoff", "agrona:sleep",
            "chronicle:spin", "chronicle:backoff");

    private IdleCpu() {
    }

    /**
     * One measurement.
     *
     * @param transport  transport name
     * @param idle       idle mode
     * @param seconds    length of the quiet interval, wall clock
     * @param cpuSeconds peer CPU time in it
     * @param cpuPercent {@code cpuSeconds / seconds}, as a percentage of one core
     */
    public record Result(String transport, String idle, double seconds, double cpuSeconds, double cpuPercent) {
    }

    /**
     * @param args options and specs, see the class comment
     * @throws Exception if a peer fails
     */
    public static void main(String[] args) throws Exception {
        double seconds = 3;
        double settle = 1;
        Path out = null;
        List<String> specs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds":
                    seconds = Double.parseDouble(args[++i]);
                    break;
                case "--settle":
                    settle = Double.parseDouble(args[++i]);
                    break;
                case "--out":
                    out = Path.of(args[++i]);
                    break;
                default:
                    specs.addAll(Arrays.asList(args[i].split(",")));
            }
        }
        if (specs.isEmpty()) {
            specs.addAll(DEFAULT_SPECS);
        }
        List<Result> results = new ArrayList<>();
        for (String spec : specs) {
            Result r = measure(Transports.parse(spec), seconds, settle);
            System.out.printf("idle %-20s %6.1f %% of a core (%.3f s CPU in %.2f s)%n", spec, r.cpuPercent(),
                    r.cpuSeconds(), r.seconds());
            results.add(r);
        }
        if (out != null) {
            Files.writeString(out, new GsonBuilder().setPrettyPrinting().create().toJson(results),
                    StandardCharsets.UTF_8);
        }
    }

    /**
     * Measures one spec.
     *
     * @param spec    transport and idle mode
     * @param seconds quiet interval
     * @param settle  time given to the peer after connecting, before measuring (start-up JIT work)
     * @return the measurement
     * @throws IOException if the peer fails
     */
    public static Result measure(Transports.Spec spec, double seconds, double settle) throws IOException {
        try (PeerProcess peer = PeerProcess.start(spec); Channel channel = peer.connect()) {
            try {
                // One round trip first, so the peer has gone through its receive path once and is waiting again.
                ByteBuffer m = Protocol.message(Protocol.MIN_MESSAGE);
                m.put(0, Protocol.ECHO);
                channel.send(m);
                channel.receive(Protocol.receiveBuffer());
                sleep(settle);
                ProcessHandle h = peer.handle();
                Duration cpu0 = cpu(h);
                long t0 = System.nanoTime();
                sleep(seconds);
                Duration cpu1 = cpu(h);
                double wall = (System.nanoTime() - t0) / 1e9;
                double used = cpu1.minus(cpu0).toNanos() / 1e9;
                return new Result(spec.transport().name(), spec.idle(), wall, used, 100 * used / wall);
            } finally {
                ByteBuffer stop = Protocol.message(Protocol.MIN_MESSAGE);
                stop.put(0, Protocol.STOP);
                channel.send(stop);
            }
        }
    }

    private static Duration cpu(ProcessHandle h) throws IOException {
        return h.info().totalCpuDuration()
                .orElseThrow(() -> new IOException("no CPU time for pid " + h.pid()));
    }

    private static void sleep(double seconds) throws IOException {
        try {
            Thread.sleep((long) (seconds * 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
