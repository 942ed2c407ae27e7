package io.mmipc.bench;

import io.mmipc.bench.report.Report;
import io.mmipc.bench.transport.PeerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The harness itself: a real peer JVM per flag-free transport (Agrona and Chronicle need JVM flags this test
 * JVM does not have; {@code scripts/bench --smoke} covers them), nothing left behind, and the report on a
 * small hand-made run.
 */
@Timeout(120)
class HarnessTest {
    @ParameterizedTest
    @ValueSource(strings = {"uds", "tcp", "mmipc-queue", "mmipc-pipe", "mmipc-queue:spin"})
    void roundTripAndBatchAcrossProcesses(String spec) throws IOException {
        List<Path> before = peerDirs();
        try (BenchSession s = BenchSession.open(spec, 1024)) {
            assertEquals(1024, s.roundTrip());
            s.batch(BenchSession.batchFor(1024));
            s.batch(1);
        }
        assertEquals(before, peerDirs(), "a peer folder was left in /dev/shm");
    }

    @Test
    void largestMessageMakesTheRoundTrip() throws IOException {
        try (BenchSession s = BenchSession.open("uds", 1 << 20)) {
            assertEquals(1 << 20, s.roundTrip());
        }
    }

    @Test
    void reportHasRatiosAndCharts(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("jmh.json"), "[" + rtt("RoundTripBenchmark", "mmipc-queue", 10) + ","
                + rtt("RoundTripBenchmark", "uds", 40) + "]", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("python.json"), "{\"python\":\"3.11\",\"implementation\":\"CPython\","
                + "\"start_method\":\"fork\",\"results\":[{\"transport\":\"python-queue\",\"size\":64,"
                + "\"rtt_us\":{\"median\":100,\"p99\":200,\"p999\":300},"
                + "\"throughput\":{\"messages_per_s\":1000,\"mb_per_s\":0.064}}]}", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("idle.json"), "[{\"transport\":\"uds\",\"idle\":\"block\",\"seconds\":1.0,"
                + "\"cpuSeconds\":0.0,\"cpuPercent\":0.0}]", StandardCharsets.UTF_8);
        Report.main(new String[] {dir.toString()});
        String md = Files.readString(dir.resolve("report.md"), StandardCharsets.UTF_8);
        assertTrue(md.contains("| mmipc-queue ÷ uds | 0.250 |"), md);
        assertTrue(md.contains("| mmipc-queue ÷ python-queue | 0.100 |"), md);
        for (String png : List.of("rtt-median.png", "rtt-p99.png", "throughput-msgs.png", "idle-cpu.png")) {
            assertTrue(Files.size(dir.resolve(png)) > 1000, png);
        }
    }

    private static String rtt(String cls, String transport, double median) {
        return "{\"benchmark\":\"io.mmipc.bench." + cls + ".roundTrip\",\"mode\":\"sample\",\"jmhVersion\":\"1.37\","
                + "\"jdkVersion\":\"17\",\"vmName\":\"test\",\"warmupIterations\":1,\"warmupTime\":\"1 s\","
                + "\"measurementIterations\":1,\"measurementTime\":\"1 s\",\"forks\":1,\"jvmArgs\":[],"
                + "\"params\":{\"size\":\"64\",\"transport\":\"" + transport + "\"},"
                + "\"primaryMetric\":{\"score\":" + median + ",\"scorePercentiles\":{\"50.0\":" + median
                + ",\"99.0\":" + (2 * median) + ",\"99.9\":" + (3 * median) + "}},\"secondaryMetrics\":{}}";
    }

    private static List<Path> peerDirs() throws IOException {
        Path shm = Path.of("/dev/shm");
        if (!Files.isDirectory(shm)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(shm)) {
            return s.filter(p -> p.getFileName().toString().startsWith(PeerProcess.DIR_PREFIX)).sorted()
                    .collect(Collectors.toList());
        }
    }
}
