package io.mmipc.bench.burst;

import io.mmipc.bench.BenchSession;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Several transports measured in one fork, one burst each in turn (A B A B ...), so that their numbers share
 * the machine's state: this machine changes speed between runs, and ratios are only honest within one. Each
 * invocation: an untimed idle pause (both sides fall asleep), then {@link #trips} back-to-back round trips on
 * the next transport, each timed and recorded by position ({@link TripStats}); JMH's own score is the mean
 * burst time over all transports and means little. Subclasses choose the pause and the burst length.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public abstract class AbstractAlternating {
    /** Message size in bytes. */
    @Param({"64"})
    public int size;

    /** The transports, comma-separated, each with its own peer process. */
    @Param({"mmipc-queue,uds"})
    public String transports;

    private String[] names;
    private BenchSession[] sessions;
    private int next;

    /** @return round trips per burst */
    protected abstract int trips();

    /** @return the idle pause before a burst in nanoseconds (0: none) */
    protected abstract long pauseNanos();

    /**
     * Starts one peer per transport.
     *
     * @throws IOException if one cannot be started
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        names = transports.split(",");
        for (int i = 0; i < names.length; i++) {
            names[i] = spec(names[i]);
        }
        sessions = new BenchSession[names.length];
        try {
            for (int i = 0; i < names.length; i++) {
                sessions[i] = BenchSession.open(names[i], size);
            }
        } catch (IOException | RuntimeException e) {
            tearDown();
            throw e;
        }
    }

    /** Records only in measurement iterations. */
    @Setup(Level.Iteration)
    public void iteration(IterationParams params) {
        TripStats.recording(params.getType() == IterationType.MEASUREMENT);
    }

    /** Lets both sides go idle (not timed). */
    @Setup(Level.Invocation)
    public void pause() {
        long nanos = pauseNanos();
        if (nanos > 0) {
            LockSupport.parkNanos(nanos);
        }
    }

    /** Stops the peers. */
    @TearDown(Level.Trial)
    public void tearDown() {
        for (BenchSession s : sessions) {
            if (s != null) {
                s.close();
            }
        }
    }

    /**
     * One burst on the next transport.
     *
     * @return the last echo's length
     * @throws IOException if a channel fails
     */
    @Benchmark
    public int burst() throws IOException {
        int i = next;
        next = (next + 1) % sessions.length;
        BenchSession s = sessions[i];
        int n = 0;
        for (int trip = 1, trips = trips(); trip <= trips; trip++) {
            long t0 = System.nanoTime();
            n = s.roundTrip();
            TripStats.record(names[i], trip, System.nanoTime() - t0);
        }
        return n;
    }

    /**
     * @param name a transport named in {@link #transports}
     * @return its spec for this benchmark class, {@code name[:idle]} (the name itself by default)
     */
    protected String spec(String name) {
        return name;
    }

    /** @return a pause drawn uniformly from [{@code fromNanos}, {@code toNanos}) */
    static long between(long fromNanos, long toNanos) {
        return ThreadLocalRandom.current().nextLong(fromNanos, toNanos);
    }
}
