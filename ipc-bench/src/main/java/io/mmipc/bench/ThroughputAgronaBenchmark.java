package io.mmipc.bench;

import io.mmipc.bench.transport.AgronaRingTransport;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Param;

/**
 * One-way throughput over the raw Agrona ring (busy-spin), the floor; its fork (and peer) get the flag
 * {@code UnsafeBuffer} needs.
 */
@Fork(value = 1, jvmArgsAppend = AgronaRingTransport.FLAGS)
public class ThroughputAgronaBenchmark extends AbstractThroughput {
    /** Transport spec, {@code name[:idle]}. */
    @Param({"agrona"})
    public String transport;

    @Override
    protected String transport() {
        return transport;
    }
}
