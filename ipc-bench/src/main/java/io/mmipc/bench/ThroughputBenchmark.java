package io.mmipc.bench;

import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Param;

/**
 * One-way throughput over the transports that need no JVM flags: mmipc's queue and pipe, a Unix-domain socket
 * and TCP loopback. The fork gets no flags at all, as a user's JVM would.
 */
@Fork(1) // no JVM flags: mmipc must run without any
public class ThroughputBenchmark extends AbstractThroughput {
    /** Transport spec, {@code name[:idle]}. */
    @Param({"mmipc-queue", "mmipc-pipe", "uds", "tcp"})
    public String transport;

    @Override
    protected String transport() {
        return transport;
    }
}
