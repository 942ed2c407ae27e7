package io.mmipc.bench;

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
 * Round trip to a peer process: send one message of {@code size} bytes, wait for the peer's echo of it.
 * Sample mode, so JMH reports the median and p99 / p99.9 of single round trips, in microseconds. A subclass
 * per set of JVM flags names its transports in a {@code @Param} and returns them from {@link #transport()}.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public abstract class AbstractRoundTrip {
    /** Message size in bytes. */
    @Param({"8", "64", "1024", "65536", "1048576"})
    public int size;

    private BenchSession session;

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
    }

    /** Stops the peer and removes its files. */
    @TearDown(Level.Trial)
    public void tearDown() {
        session.close();
    }

    /**
     * One message there and back.
     *
     * @return the echo's length
     * @throws IOException if the channel fails
     */
    @Benchmark
    public int roundTrip() throws IOException {
        return session.roundTrip();
    }
}
