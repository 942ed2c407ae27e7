package io.mmipc.bench;

import io.mmipc.bench.transport.ChronicleTransport;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Param;

/**
 * Round trip over Chronicle Queue, whose JVM flags the fork (and the peer) get.
 */
@Fork(value = 1, jvmArgsAppend = {ChronicleTransport.EXPORT_REF, ChronicleTransport.EXPORT_NIO,
    ChronicleTransport.OPEN_REFLECT, ChronicleTransport.NO_ANALYTICS, ChronicleTransport.NO_ANNOUNCER})
public class RoundTripChronicleBenchmark extends AbstractRoundTrip {
    /** Transport spec, {@code name[:idle]}. */
    @Param({"chronicle"})
    public String transport;

    @Override
    protected String transport() {
        return transport;
    }
}
