package io.mmipc.internal.sync;

import java.time.Duration;

/** Timeouts to {@link System#nanoTime()} deadlines, in the form {@code EventCount.await} takes. */
public final class Deadlines {
    private Deadlines() {
    }

    /**
     * @param timeoutNanos a timeout; zero or negative means "do not wait"
     * @return the deadline, or {@link Long#MAX_VALUE} for a timeout too long to matter (over 100 years)
     */
    public static long after(long timeoutNanos) {
        if (timeoutNanos > Long.MAX_VALUE / 4) {
            return Long.MAX_VALUE;
        }
        return System.nanoTime() + Math.max(0, timeoutNanos);
    }

    /** @return the deadline {@code timeout} from now (see {@link #after(long)}) */
    public static long after(Duration timeout) {
        return after(saturatedNanos(timeout));
    }

    /** @return the duration in nanoseconds, saturated at {@link Long#MAX_VALUE} */
    public static long saturatedNanos(Duration timeout) {
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return timeout.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** @return nanoseconds left until {@code deadline} ({@link Long#MAX_VALUE} for none), at least 0 */
    public static long remaining(long deadline) {
        return deadline == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, deadline - System.nanoTime());
    }
}
