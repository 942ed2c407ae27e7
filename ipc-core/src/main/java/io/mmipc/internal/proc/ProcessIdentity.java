package io.mmipc.internal.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process named so that a reused PID is never mistaken for the process that held it: the PID together
 * with the process start time, packed into one 64-bit <em>token</em> so that ownership of a shared word can
 * be taken with a single compare-and-set.
 *
 * <pre>
 *  63                                             22 21                   0
 * +-------------------------------------------------+---------------------+
 * |     start time (clock ticks since boot, 42 bits) |    PID (22 bits)    |
 * +-------------------------------------------------+---------------------+
 * </pre>
 *
 * A token of 0 means "nobody". Linux PIDs fit in 22 bits ({@code pid_max} is at most 2^22); the start time
 * is field 22 of {@code /proc/<pid>/stat}, identical for every reader. On a system without {@code /proc}
 * the start time falls back to {@link ProcessHandle.Info#startInstant()} in milliseconds, and liveness to
 * {@link ProcessHandle#isAlive()}.
 */
public final class ProcessIdentity {
    private static final int PID_BITS = 22;
    private static final long PID_MASK = (1L << PID_BITS) - 1;
    private static final long START_MASK = (1L << (64 - PID_BITS)) - 1;
    private static final boolean PROCFS = Files.isReadable(Path.of("/proc/self/stat"));
    private static final long SELF = computeSelf();

    private ProcessIdentity() {
    }

    private static long computeSelf() {
        long pid = ProcessHandle.current().pid();
        if (pid > PID_MASK) {
            throw new IllegalStateException("PID does not fit in 22 bits: pid=" + pid);
        }
        long start = startTime(pid).orElseThrow(
                () -> new IllegalStateException("cannot read own start time: pid=" + pid));
        return pack(pid, start);
    }

    private static long pack(long pid, long startTime) {
        long token = ((startTime & START_MASK) << PID_BITS) | pid;
        return token == 0 ? 1L << PID_BITS : token;
    }

    /** @return this process's token (never 0) */
    public static long self() {
        return SELF;
    }

    /** @return the PID inside a token */
    public static long pid(long token) {
        return token & PID_MASK;
    }

    /** Formats a token for messages: {@code pid=123 (start=4567)}. */
    public static String describe(long token) {
        return "pid=" + pid(token) + " (start=" + (token >>> PID_BITS) + ")";
    }

    /**
     * Tells whether the process a token names is still running. A zombie (killed but not yet reaped) counts
     * as dead, and so does a live process whose start time differs (the PID was reused).
     *
     * @param token a token from {@link #self()} of some process; 0 is never alive
     * @return true if that very process is alive
     */
    public static boolean isAlive(long token) {
        if (token == 0) {
            return false;
        }
        if (token == SELF) {
            return true;
        }
        long pid = pid(token);
        if (!PROCFS) {
            Optional<ProcessHandle> handle = ProcessHandle.of(pid);
            return handle.isPresent() && handle.get().isAlive()
                    && startTime(pid).map(s -> pack(pid, s) == token).orElse(false);
        }
        String stat = readStat(pid);
        if (stat == null) {
            return false;
        }
        char state = statField(stat, 3).charAt(0);
        if (state == 'Z' || state == 'X' || state == 'x') {
            return false;
        }
        return pack(pid, Long.parseLong(statField(stat, 22))) == token;
    }

    private static Optional<Long> startTime(long pid) {
        if (PROCFS) {
            String stat = readStat(pid);
            return stat == null ? Optional.empty() : Optional.of(Long.parseLong(statField(stat, 22)));
        }
        return ProcessHandle.of(pid).flatMap(h -> h.info().startInstant()).map(java.time.Instant::toEpochMilli);
    }

    private static String readStat(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/stat")), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return null;
        }
    }

    /** Field {@code n} (1-based, as in proc(5)) of a stat line; the command name may contain spaces. */
    static String statField(String stat, int n) {
        if (n <= 2) {
            throw new IllegalArgumentException("fields 1 and 2 are not parsed: n=" + n);
        }
        int close = stat.lastIndexOf(')');
        String[] rest = stat.substring(close + 2).trim().split(" ");
        return rest[n - 3];
    }
}
