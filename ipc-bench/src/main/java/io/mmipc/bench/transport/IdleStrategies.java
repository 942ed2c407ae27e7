package io.mmipc.bench.transport;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.List;

/**
 * The waiting loops of the polling transports (Agrona ring, Chronicle Queue), by name. Agrona's idle
 * strategies run without JVM flags.
 *
 * <ul>
 *   <li>{@code spin}: {@link BusySpinIdleStrategy} ({@link Thread#onSpinWait()}), the latency floor; a core.</li>
 *   <li>{@code yield}: {@link YieldingIdleStrategy}.</li>
 *   <li>{@code backoff}: {@link BackoffIdleStrategy} with Agrona's defaults (10 spins, 5 yields, then
 *       {@code parkNanos} from 1 µs doubling to 1 ms).</li>
 *   <li>{@code sleep}: {@link SleepingMillisIdleStrategy}, 1 ms.</li>
 * </ul>
 */
public final class IdleStrategies {
    /** The names, fastest first. */
    public static final List<String> NAMES = List.of("spin", "yield", "backoff", "sleep");

    private IdleStrategies() {
    }

    /**
     * @param name one of {@link #NAMES}
     * @return a new strategy (they keep state: one per waiting thread)
     * @throws IllegalArgumentException for an unknown name
     */
    public static IdleStrategy of(String name) {
        switch (name) {
            case "spin":
                return new BusySpinIdleStrategy();
            case "yield":
                return new YieldingIdleStrategy();
            case "backoff":
                return new BackoffIdleStrategy();
            case "sleep":
                return new SleepingMillisIdleStrategy(1);
            default:
                throw new IllegalArgumentException("unknown idle strategy: idle=" + name + ", known=" + NAMES);
        }
    }
}
