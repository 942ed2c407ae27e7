package io.mmipc;

/**
 * How a blocked call waits in shared memory. Every mode first spins briefly, so hot traffic never sleeps;
 * the modes differ in what an idle waiter does next.
 *
 * <p>Choose per object with the builders' {@code waitMode(...)}, or for the whole JVM with the system
 * property {@code mmipc.wait} ({@code auto}, {@code spin}, {@code doorbell}, {@code futex}).
 */
public enum WaitMode {
    /**
     * The default: {@link #FUTEX} when this JVM may use it (JDK 22+ started with
     * {@code --enable-native-access=ALL-UNNAMED}) and every process attached to the object can be woken
     * that way; otherwise {@link #DOORBELL}.
     */
    AUTO,
    /** Busy-spin (with {@link Thread#onSpinWait()} and yields): lowest latency, burns a core per waiter. */
    SPIN,
    /**
     * Sleep in the kernel on a per-process Unix-domain-socket doorbell that wakers ring only when someone
     * sleeps. Pure Java, no JVM flags, works on JDK 17+.
     */
    DOORBELL,
    /**
     * Sleep in the kernel with a futex on the shared word itself (JDK 22+, Linux, native access enabled).
     * Fails at open if this JVM cannot use it.
     */
    FUTEX;

    /** {@return the JVM-wide default from {@code mmipc.wait}, or {@link #AUTO}} */
    public static WaitMode jvmDefault() {
        String configured = System.getProperty("mmipc.wait", "auto").trim();
        try {
            return valueOf(configured.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid mmipc.wait (auto, spin, doorbell, futex): " + configured, e);
        }
    }
}
