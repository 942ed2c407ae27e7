package io.mmipc.bench.pipe;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * One-way throughput to another process: a batch of {@link #BATCH} messages, the last of which the peer
 * answers, so every message of the batch has been received when the invocation ends. Messages per second;
 * mmipc's pipe beside a Unix-domain socket.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class PipeThroughputBenchmark {
    /** Messages per invocation. */
    public static final int BATCH = 1000;

    /** Which transport. */
    @Param({"MMIPC_PIPE", "UDS"})
    public PipeTransport.Kind transport;

    /** Message size in bytes. */
    @Param({"32"})
    public int size;

    private PipeBenchSession session;

    /** Starts the peer. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        session = new PipeBenchSession(transport, size);
    }

    /** Stops the peer. */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        session.close();
    }

    /** {@link #BATCH} messages one way, acknowledged by the last. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int oneWay() throws Exception {
        for (int i = 1; i < BATCH; i++) {
            session.send(false);
        }
        session.send(true);
        return session.transport.receive(session.in);
    }
}
