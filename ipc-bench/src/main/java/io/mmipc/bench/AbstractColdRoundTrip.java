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
import java.util.concurrent.locks.LockSupport;

/**
 * Cold round trip (issue 11), base class: before every message both sides have been idle for {@link #PAUSE_NANOS}, long
 * past mmipc's ~20 µs spin, so the peer is asleep in the kernel and each round trip includes two wake-ups.
 * The pause is an untimed per-invocation setup. The hot case is {@link RoundTripBenchmark}. Subclasses name the
 * transports (one class per set of JVM flags).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public abstract class AbstractColdRoundTrip {
    /** Idle time before each round trip. */
    static final long PAUSE_NANOS = 2_000_000L;

    /** Message size in bytes. */
    @Param({"64"})
    public int size;

    private BenchSession session;

    /** @return the transport spec of this trial, {@code name[:idle]} */
    protected abstract String transport();

    /** Starts the peer JVM and connects. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        session = BenchSession.open(transport(), size);
    }

    /** Lets both sides go idle (not timed). */
    @Setup(Level.Invocation)
    public void pause() {
        LockSupport.parkNanos(PAUSE_NANOS);
    }

    /** Stops the peer. */
    @TearDown(Level.Trial)
    public void tearDown() {
        session.close();
    }

    /**
     * One message there and back, from idle.
     *
     * @return the echo's length
     * @throws IOException if the channel fails
     */
    @Benchmark
    public int coldRoundTrip() throws IOException {
        return session.roundTrip();
    }
}
