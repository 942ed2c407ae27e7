package io.mmipc.cli;

/**
 * The command's exit codes (also listed by {@code mmipc --help} and in {@code docs/cli.md}).
 */
public final class ExitCodes {
    /** Done; every object read was valid. */
    public static final int OK = 0;
    /** Done, but some object is corrupt, truncated, foreign or of an unknown layout (what could be read was shown). */
    public static final int PROBLEMS = 1;
    /** Bad command line. */
    public static final int USAGE = 2;
    /** No such object, or no such folder. */
    public static final int NOT_FOUND = 3;
    /** {@code rm} refused: live processes have the object open (use {@code --force}). */
    public static final int IN_USE = 4;
    /** A file could not be read or removed. */
    public static final int IO_ERROR = 5;
    /** An unexpected exception: a bug in the command (its stack trace is printed); 70 is sysexits' EX_SOFTWARE. */
    public static final int INTERNAL_ERROR = 70;

    private ExitCodes() {
    }
}
