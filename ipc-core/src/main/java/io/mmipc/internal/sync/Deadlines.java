package io.mmipc.internal.sync;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The one place where timeouts become {@link System#nanoTime()} deadlines, in the form
 * {@code EventCount.await} takes. Every conversion saturates: a timeout too long to matter
 * ({@code Duration.ofSeconds(Long.MAX_VALUE)}, {@code Long.MAX_VALUE} days) means "wait forever"
 * ({@link #FOREVER}) and never throws {@link ArithmeticException}; zero or negative means "do not wait"
 * (a deadline that has already passed, so {@link #expired} is true at once).
 */
public final class Deadlines {
    /** The deadline of a call that waits as long as it takes. */
    public static final long FOREVER = Long.MAX_VALUE;

    private Deadlines() {
    }

    /**
     * @param timeoutNanos a timeout; zero or negative means "do not wait"
     * @return the deadline, or {@link #FOREVER} for a timeout too long to matter (over 70 years)
     */
    public static long after(long timeoutNanos) {
        if (timeoutNanos > Long.MAX_VALUE / 4) {
            return FOREVER;
        }
        return System.nanoTime() + Math.max(0, timeoutNanos);
    }

    /**
     * @param timeout a timeout; zero or negative means "do not wait"
     * @return the deadline {@code timeout} from now (see {@link #after(long)})
     */
    public static long after(Duration timeout) {
        return after(saturatedNanos(timeout));
    }

    /**
     * @param timeout a timeout in {@code unit}; zero or negative means "do not wait"
     * @param unit    its unit
     * @return the deadline (see {@link #after(long)}); {@link TimeUnit#toNanos} saturates
     */
    public static long after(long timeout, TimeUnit unit) {
        return after(unit.toNanos(timeout));
    }

    /**
     * @param timeout a timeout, or null for none
     * @return the deadline (see {@link #after(long)}), {@link #FOREVER} for null
     */
    public static long afterOrForever(Duration timeout) {
        return timeout == null ? FOREVER : after(timeout);
    }

    /**
     * @param timeout a duration
     * @return the duration in nanoseconds, saturated at {@link Long#MAX_VALUE} (or {@link Long#MIN_VALUE})
     */
    public static long saturatedNanos(Duration timeout) {
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return timeout.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /**
     * @param deadline a deadline from {@link #after}
     * @return whether it has passed ({@link #FOREVER} never does)
     */
    public static boolean expired(long deadline) {
        return deadline != FOREVER && System.nanoTime() - deadline >= 0;
    }

    /**
     * @param deadline a deadline from {@link #after}
     * @return nanoseconds left until {@code deadline} ({@link Long#MAX_VALUE} for {@link #FOREVER}), at least 0
     */
    public static long remaining(long deadline) {
        return deadline == FOREVER ? Long.MAX_VALUE : Math.max(0, deadline - System.nanoTime());
    }
}
