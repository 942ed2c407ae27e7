package io.mmipc.internal.wait;

import io.mmipc.internal.mem.MappedMemory;

/**
 * Futex wait and wake on a word of shared memory. This JDK 17 implementation has no futex (that needs
 * native calls, which JDK 17 cannot make without JNI); the JDK 22+ overlay provides one when the JVM was
 * started with native access enabled.
 */
public final class Futex {
    private Futex() {
    }

    /** @return whether futex waiting is usable in this JVM (never on JDK 17) */
    public static boolean available() {
        return false;
    }

    /** @return why futex waiting is not available, for error messages */
    public static String unavailableReason() {
        return "futex waiting needs JDK 22 or later started with --enable-native-access=ALL-UNNAMED";
    }

    /**
     * Sleeps while the int at {@code offset} equals {@code expected}, at most {@code timeoutNanos}.
     *
     * @return 0 when woken or the value differed, 1 on timeout
     */
    public static int await(MappedMemory memory, long offset, int expected, long timeoutNanos) {
        throw new UnsupportedOperationException(unavailableReason());
    }

    /** Wakes up to {@code count} threads sleeping on the int at {@code offset}. */
    public static void wake(MappedMemory memory, long offset, int count) {
        throw new UnsupportedOperationException(unavailableReason());
    }
}
