package io.mmipc.process;

/**
 * A child process ended without delivering the result of its task: killed (by a signal, for example
 * SIGKILL or the OOM killer), halted, or ended by {@code System.exit} inside the task. Names the process and
 * how it ended.
 */
public class ProcessDiedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The PID of the process that died. */
    private final long pid;
    /** Its exit code, negative for a signal. */
    private final int exitCode;

    /**
     * Creates the exception; its message names the process, its PID and exit code, and what was lost.
     *
     * @param what     what died, e.g. {@code process 'worker-1'}
     * @param pid      its PID
     * @param exitCode its exit code as {@link SharedProcess#exitCode()} reports it (negative: killed by that signal)
     * @param detail   what was lost, or null
     */
    public ProcessDiedException(String what, long pid, int exitCode, String detail) {
        super(what + " died: pid=" + pid + ", exitCode=" + exitCode + describe(exitCode)
                + (detail != null ? ", " + detail : ""));
        this.pid = pid;
        this.exitCode = exitCode;
    }

    private static String describe(int exitCode) {
        return exitCode < 0 ? " (signal " + -exitCode + ")" : "";
    }

    /** {@return the PID of the process that died} */
    public long pid() {
        return pid;
    }

    /** {@return its exit code; negative for a death by signal (-9 for SIGKILL), as Python reports it} */
    public int exitCode() {
        return exitCode;
    }
}
