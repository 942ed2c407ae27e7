package io.mmipc.bench;

import io.mmipc.bench.transport.AgronaRingTransport;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Param;

/**
 * Round trip over the raw Agrona ring (busy-spin), the floor; its fork (and peer) get the flag {@code UnsafeBuffer}
 * needs.
 */
@Fork(value = 1, jvmArgsAppend = AgronaRingTransport.FLAGS)
public class RoundTripAgronaBenchmark extends AbstractRoundTrip {
    /** Transport spec, {@code name[:idle]}. */
    @Param({"agrona"})
    public String transport;

    @Override
    protected String transport() {
        return transport;
    }
}
