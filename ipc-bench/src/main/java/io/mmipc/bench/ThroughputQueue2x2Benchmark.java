package io.mmipc.bench;

import io.mmipc.bench.fan.FanSession;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * One-way throughput of mmipc's queue shared by 2 producer and 2 consumer processes (four peer JVMs; this
 * one coordinates). An invocation is a {@link FanSession#round round} of about ten throughput batches, timed
 * until the consumers have taken every message. Read the {@code messages} and {@code bytes} secondary scores,
 * as for {@link AbstractThroughput}. No JVM flags.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1) // no JVM flags: mmipc must run without any
@State(Scope.Thread)
public class ThroughputQueue2x2Benchmark {
    /** Message size in bytes. */
    @Param({"8", "64", "1024", "65536", "1048576"})
    public int size;

    /** The report's label for this set-up. */
    @Param({"mmipc-queue-2x2"})
    public String transport;

    private FanSession session;
    private long perProducer;

    /**
     * Starts the four peers.
     *
     * @throws IOException if they cannot start
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        session = FanSession.open(size);
        perProducer = 10L * BenchSession.batchFor(size) / FanSession.PRODUCERS;
    }

    /** Stops the peers and removes their files. */
    @TearDown(Level.Trial)
    public void tearDown() {
        session.close();
    }

    /**
     * One round.
     *
     * @param counters messages and bytes delivered
     * @throws IOException if the queue fails
     */
    @Benchmark
    public void oneWay(AbstractThroughput.Counters counters) throws IOException {
        session.round(perProducer);
        long n = perProducer * FanSession.PRODUCERS;
        counters.messages += n;
        counters.bytes += n * size;
    }
}
