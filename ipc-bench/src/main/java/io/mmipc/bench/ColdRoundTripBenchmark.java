package io.mmipc.bench;

import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Param;

/**
 * Cold round trip with no JVM flags, as a user's JVM would run: mmipc sleeps on its Unix-domain-socket
 * doorbells (AUTO without native access), beside a plain Unix-domain socket whose peer blocks in read.
 */
@Fork(1) // no JVM flags: mmipc must run without any
public class ColdRoundTripBenchmark extends AbstractColdRoundTrip {
    /** Transport spec, {@code name[:idle]}. */
    @Param({"mmipc-queue", "mmipc-pipe", "uds"})
    public String transport;

    @Override
    protected String transport() {
        return transport;
    }
}
