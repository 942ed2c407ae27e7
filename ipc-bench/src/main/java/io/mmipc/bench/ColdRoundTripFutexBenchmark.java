package io.mmipc.bench;

import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Param;

/**
 * Cold round trip with mmipc's one optional flag, {@code --enable-native-access=ALL-UNNAMED} (JDK 22+): both
 * processes sleep with a futex on the shared word (the {@code futex} idle mode also gives the peer JVM the
 * flag). The Unix-domain socket runs in the same fork as the reference.
 */
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ColdRoundTripFutexBenchmark extends AbstractColdRoundTrip {
    /** Transport spec, {@code name[:idle]}. */
    @Param({"mmipc-queue:futex", "uds"})
    public String transport;

    @Override
    protected String transport() {
        return transport;
    }
}
