package io.mmipc.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
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
 * One-way throughput to a peer process, end to end: an invocation sends a batch of
 * {@link BenchSession#batchFor about 4 MiB} (at most 1000 messages), the last of which the peer acknowledges
 * with its count, so a batch ends only when all of it has arrived. The primary score is batches per second;
 * the {@link Counters} secondary scores {@code messages} and {@code bytes} are the rates that matter
 * (messages/s and bytes/s). A subclass per set of JVM flags names its transports.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public abstract class AbstractThroughput {
    /** Message size in bytes. */
    @Param({"8", "64", "1024", "65536", "1048576"})
    public int size;

    private BenchSession session;
    private int batch;

    /** @return the transport spec of this trial, {@code name[:idle]} */
    protected abstract String transport();

    /**
     * Starts the peer JVM and connects.
     *
     * @throws IOException if it cannot
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        session = BenchSession.open(transport(), size);
        batch = BenchSession.batchFor(size);
    }

    /** Stops the peer and removes its files. */
    @TearDown(Level.Trial)
    public void tearDown() {
        session.close();
    }

    /**
     * One acknowledged batch.
     *
     * @param counters messages and bytes delivered
     * @throws IOException if the channel fails
     */
    @Benchmark
    public void oneWay(Counters counters) throws IOException {
        session.batch(batch);
        counters.messages += batch;
        counters.bytes += (long) batch * size;
    }

    /** Messages and bytes delivered, reported by JMH as rates beside the batch rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        /** Messages delivered. */
        public long messages;
        /** Payload bytes delivered. */
        public long bytes;

        /** Zeroes the counters before each iteration. */
        @Setup(Level.Iteration)
        public void reset() {
            messages = 0;
            bytes = 0;
        }
    }
}
