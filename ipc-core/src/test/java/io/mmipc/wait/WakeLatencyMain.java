package io.mmipc.wait;

import io.mmipc.WaitMode;
import io.mmipc.codec.Codecs;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.wait.Futex;
import io.mmipc.queue.SharedQueue;
import io.mmipc.testing.ChildJvm;
import io.mmipc.testing.TestDirs;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A quick wake-up latency measurement, not a test (the JMH benchmarks are what count): ping-pong between
 * this JVM and a child through two queues, pausing between pings so that both sides have gone to sleep
 * (their 20 µs spin is over) and every round trip includes two real wake-ups. Modes are alternated
 * (A B C A B C) because this machine's speed changes from run to run.
 *
 * <p>Run from {@code ipc-core} after {@code mvn package}, e.g. on JDK 25 with futex available:
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp target/test-classes:target/ipc-core-*.jar:$(agrona jar) \
 *     io.mmipc.wait.WakeLatencyMain [rounds] [passes]
 * </pre>
 */
public final class WakeLatencyMain {
    private static final long PAUSE_NANOS = 200_000L;

    private WakeLatencyMain() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        List<WaitMode> modes = new ArrayList<>(List.of(WaitMode.SPIN, WaitMode.DOORBELL));
        if (Futex.available()) {
            modes.add(WaitMode.FUTEX);
        }
        System.out.printf("JDK %s, %s, futex %s; %d round trips per mode and pass, %d µs pause%n",
                Runtime.version(), MappedMemory.implementation(), Futex.available() ? "available" : "unavailable",
                rounds, PAUSE_NANOS / 1000);
        System.out.println("| mode | pass | RTT median | p90 | p99 |");
        System.out.println("|---|---|---|---|---|");
        for (int pass = 1; pass <= passes; pass++) {
            for (WaitMode mode : modes) {
                long[] rtt = run(mode, rounds);
                Arrays.sort(rtt);
                System.out.printf("| %s | %d | %.1f µs | %.1f µs | %.1f µs |%n", mode, pass, rtt[rtt.length / 2] / 1e3,
                        rtt[rtt.length * 9 / 10] / 1e3, rtt[rtt.length * 99 / 100] / 1e3);
            }
        }
    }

    private static long[] run(WaitMode mode, int rounds) throws Exception {
        int warmup = rounds;
        Path dir = TestDirs.create("latency");
        try (SharedQueue<String> ping = queue(dir, "ping", mode); SharedQueue<String> pong = queue(dir, "pong", mode);
             ChildJvm child = ChildJvm.launcher(WaitChild.class)
                     .jvmOptions(List.of("-XX:TieredStopAtLevel=4"))
                     .args("echo", dir.toString(), mode.name(), String.valueOf(warmup + rounds), "false").start()) {
            child.expect("ready", Duration.ofSeconds(30));
            long[] rtt = new long[rounds];
            for (int i = 0; i < warmup + rounds; i++) {
                LockSupport.parkNanos(PAUSE_NANOS);
                long t0 = System.nanoTime();
                ping.put("x");
                if (pong.poll(10, TimeUnit.SECONDS) == null) {
                    throw new IllegalStateException("no answer in round " + i);
                }
                if (i >= warmup) {
                    rtt[i - warmup] = System.nanoTime() - t0;
                }
            }
            child.expect("done " + (warmup + rounds), Duration.ofSeconds(30));
            return rtt;
        } finally {
            TestDirs.delete(dir);
        }
    }

    private static SharedQueue<String> queue(Path dir, String name, WaitMode mode) throws Exception {
        return SharedQueue.builder(name, Codecs.string()).directory(dir).waitMode(mode).create();
    }
}
