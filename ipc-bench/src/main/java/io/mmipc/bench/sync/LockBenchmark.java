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
 * Lock acquire + release between processes: mmipc's {@link io.mmipc.sync.SharedLock} and
 * {@link io.mmipc.sync.SharedRLock} beside the file-lock baseline ({@code FileChannel.lock()} on a file in
 * {@code /dev/shm}, one channel per process), uncontended and with a peer JVM acquiring and releasing the
 * same lock in a tight loop ({@code contended=true}). Average time per acquire + release pair.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class LockBenchmark {
    /** Which lock. */
    @Param({"MMIPC_LOCK", "MMIPC_RLOCK", "FILE_LOCK"})
    public SyncOp.Kind kind;

    /** Whether a peer process contends for the same lock. */
    @Param({"false", "true"})
    public boolean contended;

    private SyncBenchSession session;

    /** Creates the lock (and starts the peer). */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        session = new SyncBenchSession(kind, contended);
    }

    /** Stops the peer and removes the lock. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        session.close();
    }

    /** One acquire and release. */
    @Benchmark
    public void acquireRelease() throws IOException {
        session.op.run();
    }
}
