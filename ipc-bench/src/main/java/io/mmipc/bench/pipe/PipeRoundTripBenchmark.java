package io.mmipc.bench.pipe;

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

import java.util.concurrent.TimeUnit;

/**
 * Round trip between two processes: send one message, the peer JVM sends it back. Sample mode, so JMH
 * reports the median and tail percentiles. mmipc's pipe beside a Unix-domain socket.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class PipeRoundTripBenchmark {
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

    /** One message there and back. */
    @Benchmark
    public int roundTrip() throws Exception {
        session.send(true);
        return session.transport.receive(session.in);
    }
}
