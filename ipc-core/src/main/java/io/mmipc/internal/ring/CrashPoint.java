package io.mmipc.internal.ring;

/**
 * A test hook that ends the process at a named point between two steps of a shared-memory transition, so
 * tests can check, deterministically, that a process dying exactly there (as by SIGKILL) leaves state that
 * others recover from. The point is chosen with the system property {@code mmipc.test.crashPoint}, read once;
 * when it is unset (always, outside tests) {@link #reach} is a comparison with a constant null that the JIT
 * removes.
 *
 * <p>{@link Runtime#halt} runs no shutdown hook and no {@code finally}: like a SIGKILL, the process leaves its
 * registry entry, its locks and its half-made changes behind. It exits with {@link #EXIT_CODE}.
 */
public final class CrashPoint {
    /** The exit code of a process halted at its crash point. */
    public static final int EXIT_CODE = 86;
    /** The system property naming the crash point. */
    public static final String PROPERTY = "mmipc.test.crashPoint";

    private static final String ARMED = System.getProperty(PROPERTY);

    private CrashPoint() {
    }

    /**
     * Halts the process if {@code name} is the armed crash point.
     *
     * @param name the point reached, {@code operation.step}
     */
    static void reach(String name) {
        if (ARMED != null && ARMED.equals(name)) {
            System.out.flush();
            Runtime.getRuntime().halt(EXIT_CODE);
        }
    }
}
