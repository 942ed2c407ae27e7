package io.mmipc.internal.wait;

import io.mmipc.internal.mem.MappedMemory;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;

/**
 * Futex wait and wake on a word of shared memory (JDK 22+ implementation, {@code META-INF/versions/22}):
 * {@code syscall(SYS_futex, addr, FUTEX_WAIT or FUTEX_WAKE, ...)} through {@link Linker}, without the
 * {@code FUTEX_PRIVATE_FLAG}, so waiters and wakers in different processes meet on the same file page.
 *
 * <p>Linking a native function is a restricted operation. It is attempted only when this module has native
 * access ({@code --enable-native-access=ALL-UNNAMED}, checked with {@link Module#isNativeAccessEnabled()},
 * which is not itself restricted), so a JVM started without the flag never prints the JDK's
 * restricted-method warning: it simply reports futex waiting as unavailable and mmipc uses doorbells.
 */
public final class Futex {
    private static final int FUTEX_WAIT = 0;
    private static final int FUTEX_WAKE = 1;
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;
    private static final int ETIMEDOUT = 110;
    /** The syscall number, or -1 on a platform without a known one. */
    private static final long SYS_FUTEX = sysFutex();
    private static final String UNAVAILABLE_REASON = probe();
    private static final boolean AVAILABLE = UNAVAILABLE_REASON == null;

    private Futex() {
    }

    private static long sysFutex() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            return -1;
        }
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        switch (arch) {
            case "amd64":
            case "x86_64":
                return 202;
            case "aarch64":
                return 98;
            default:
                return -1;
        }
    }

    /** @return null if usable, else why not */
    private static String probe() {
        if (SYS_FUTEX < 0) {
            return "futex waiting needs Linux on x86_64 or aarch64: os.name=" + System.getProperty("os.name")
                    + ", os.arch=" + System.getProperty("os.arch");
        }
        if (!Futex.class.getModule().isNativeAccessEnabled()) {
            return "futex waiting needs native access: start the JVM with --enable-native-access=ALL-UNNAMED"
                    + " (or the module's name)";
        }
        try {
            // Links the downcalls now (native access is enabled, so no warning is printed).
            return Calls.WAIT != null && Calls.WAKE != null ? null : "futex downcalls could not be linked";
        } catch (LinkageError | RuntimeException e) {
            return "futex downcalls could not be linked: " + e;
        }
    }

    /** @return whether futex waiting is usable in this JVM */
    public static boolean available() {
        return AVAILABLE;
    }

    /** @return why futex waiting is not available, for error messages */
    public static String unavailableReason() {
        return AVAILABLE ? "futex waiting is available" : UNAVAILABLE_REASON;
    }

    /**
     * Sleeps while the int at {@code offset} equals {@code expected}, at most {@code timeoutNanos}. Returns
     * early, as every futex wait may, when woken, when the value differs, or on a signal.
     *
     * @return 0 when woken or the value differed, 1 on timeout
     * @throws IllegalStateException if the memory is closed
     */
    public static int await(MappedMemory memory, long offset, int expected, long timeoutNanos) {
        check();
        if (timeoutNanos <= 0) {
            return 1;
        }
        long address = memory.address(offset);
        PerThread t = PerThread.get();
        t.timespec.set(ValueLayout.JAVA_LONG, 0, timeoutNanos / 1_000_000_000L);
        t.timespec.set(ValueLayout.JAVA_LONG, 8, timeoutNanos % 1_000_000_000L);
        long result;
        try {
            result = (long) Calls.WAIT.invokeExact(t.callState, SYS_FUTEX, address, (long) FUTEX_WAIT,
                    (long) expected, t.timespec.address());
        } catch (Throwable e) {
            throw new IllegalStateException("futex wait call failed", e);
        }
        if (result == 0) {
            return 0;
        }
        int errno = (int) Calls.ERRNO.get(t.callState, 0L);
        if (errno == ETIMEDOUT) {
            return 1;
        }
        if (errno == EAGAIN || errno == EINTR) {
            return 0;
        }
        throw new IllegalStateException("futex wait failed: errno=" + errno + ", offset=" + offset);
    }

    /** Wakes up to {@code count} threads sleeping on the int at {@code offset}. */
    public static void wake(MappedMemory memory, long offset, int count) {
        check();
        long address = memory.address(offset);
        PerThread t = PerThread.get();
        long result;
        try {
            result = (long) Calls.WAKE.invokeExact(t.callState, SYS_FUTEX, address, (long) FUTEX_WAKE,
                    (long) count);
        } catch (Throwable e) {
            throw new IllegalStateException("futex wake call failed", e);
        }
        if (result < 0) {
            int errno = (int) Calls.ERRNO.get(t.callState, 0L);
            throw new IllegalStateException("futex wake failed: errno=" + errno + ", offset=" + offset);
        }
    }

    private static void check() {
        if (!AVAILABLE) {
            throw new UnsupportedOperationException(UNAVAILABLE_REASON);
        }
    }

    /**
     * The downcall handles, linked when this class is first used, which {@link #probe()} does only when
     * native access is enabled. Every argument is passed as a 64-bit value: {@code syscall} reads its
     * variadic arguments as {@code long}, and the kernel truncates the 32-bit ones.
     */
    private static final class Calls {
        static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
        static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        static final MethodHandle WAIT = link(4);
        static final MethodHandle WAKE = link(3);

        @SuppressWarnings("restricted")
        private static MethodHandle link(int variadicArgs) {
            Linker linker = Linker.nativeLinker();
            MemorySegment syscall = linker.defaultLookup().find("syscall")
                    .orElseThrow(() -> new IllegalStateException("libc has no syscall function"));
            ValueLayout[] args = new ValueLayout[1 + variadicArgs];
            java.util.Arrays.fill(args, ValueLayout.JAVA_LONG);
            return linker.downcallHandle(syscall, FunctionDescriptor.of(ValueLayout.JAVA_LONG, args),
                    Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));
        }
    }

    /** Per-thread native scratch memory (the timeout and the captured errno), freed with the thread. */
    private static final class PerThread {
        private static final ThreadLocal<PerThread> CURRENT = ThreadLocal.withInitial(PerThread::new);
        final MemorySegment timespec;
        final MemorySegment callState;

        private PerThread() {
            Arena arena = Arena.ofAuto();
            this.timespec = arena.allocate(16, 8);
            this.callState = arena.allocate(Calls.CALL_STATE);
        }

        static PerThread get() {
            return CURRENT.get();
        }
    }
}
