package io.mmipc.bench.burst;

import org.openjdk.jmh.annotations.Fork;

/**
 * {@link BurstAfterPauseBenchmark} with mmipc's one optional flag (JDK 22+), so both mmipc processes sleep on
 * a futex; the Unix-domain socket runs in the same fork as the reference.
 */
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class BurstAfterPauseFutexBenchmark extends BurstAfterPauseBenchmark {
    @Override
    protected String spec(String name) {
        return name.startsWith("mmipc-") ? name + ":futex" : name;
    }
}
