package io.mmipc.bench;

import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Param;

/**
 * Round trip over mmipc's queue and pipe with both processes busy-spinning ({@code WaitMode.SPIN}): the
 * like-for-like comparison with the busy-spinning Agrona ring and Chronicle tailer. No JVM flags.
 */
@Fork(1) // no JVM flags: mmipc must run without any
public class RoundTripSpinBenchmark extends AbstractRoundTrip {
    /** Transport spec, {@code name[:idle]}. */
    @Param({"mmipc-queue:spin", "mmipc-pipe:spin"})
    public String transport;

    @Override
    protected String transport() {
        return transport;
    }
}
