package io.mmipc.bench.sync;

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
 * Shared-counter increments between processes: {@link io.mmipc.value.SharedLong#incrementAndGet()} (one
 * atomic add on the mapped word), {@code set(get() + 1)} under the value's own lock, and the same
 * increment of a long in a mapped file under {@code FileChannel.lock()} (the baseline), uncontended and
 * with a peer JVM incrementing the same counter in a tight loop ({@code contended=true}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class CounterBenchmark {
    /** How the counter is incremented. */
    @Param({"COUNTER_ATOMIC", "COUNTER_MMIPC_LOCK", "COUNTER_FILE_LOCK"})
    public SyncOp.Kind kind;

    /** Whether a peer process increments the same counter. */
    @Param({"false", "true"})
    public boolean contended;

    private SyncBenchSession session;

    /** Creates the counter (and starts the peer). */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        session = new SyncBenchSession(kind, contended);
    }

    /** Stops the peer and removes the counter. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        session.close();
    }

    /** One increment. */
    @Benchmark
    public void increment() throws IOException {
        session.op.run();
    }
}
