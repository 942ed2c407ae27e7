package io.mmipc.internal.proc;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;

/**
 * A process named so that it is never mistaken for another one: a 64-bit <em>token</em>, held in lock
 * words and registry entries so that ownership of a shared word can be taken with one compare-and-set, and
 * a <em>node file</em> named by the token that the process keeps locked for as long as it lives.
 *
 * <pre>
 *  63 62                                        22 21                   0
 * +--+--------------------------------------------+---------------------+
 * |0 |            random (41 bits)                |    PID (22 bits)    |
 * +--+--------------------------------------------+---------------------+
 * </pre>
 *
 * <p>The PID is only for messages: PIDs repeat across PID namespaces (containers, {@code unshare --pid})
 * and are reused after death, so liveness never depends on it. Liveness comes from the node file (see
 * {@link Nodes}): another process is alive exactly when the fcntl lock on its node file is held. The
 * kernel drops that lock when the process dies, however it dies, so there is no heartbeat, no timeout and
 * nothing that {@code /proc} or a PID namespace can fool. An answer that cannot be had (no descriptor left,
 * no permission, any I/O error) is "alive": taking over a live process's lock or claim loses data, while
 * waiting a little longer for a dead one loses nothing. A token of 0 means "nobody"; bit 63 is always 0
 * (the registry uses it as a marker).
 *
 * <p>Two copies of mmipc in one JVM (two class loaders) each have their own token and node file; each copy
 * lists its token in the JVM-wide system property {@value JvmTokens#PROPERTY}, so that no copy ever opens
 * another copy's node file (closing that descriptor would drop the JVM's lock on it).
 */
public final class ProcessIdentity {
    private static final int PID_BITS = 22;
    private static final long PID_MASK = (1L << PID_BITS) - 1;
    private static final int RANDOM_BITS = 41;
    private static final long SELF = newToken();

    static {
        JvmTokens.add(SELF);
    }

    private ProcessIdentity() {
    }

    private static long newToken() {
        long pid = ProcessHandle.current().pid() & PID_MASK;
        long random;
        try {
            random = RandomIds.nextLong();
        } catch (RuntimeException e) {
            random = System.nanoTime() * 0x9E3779B97F4A7C15L ^ System.identityHashCode(new Object());
        }
        random &= (1L << RANDOM_BITS) - 1;
        if (random == 0) {
            random = 1;
        }
        return (random << PID_BITS) | pid;
    }

    /** @return this process's token (never 0) */
    public static long self() {
        return SELF;
    }

    /**
     * @param token a process token
     * @return the PID inside a token (as seen in that process's PID namespace; for messages only)
     */
    public static long pid(long token) {
        return token & PID_MASK;
    }

    /**
     * Formats a token for messages.
     *
     * @param token a process token
     * @return for example {@code pid=123 (token=0000a1b2c3d4e5f6)}
     */
    public static String describe(long token) {
        return "pid=" + pid(token) + " (token=" + Nodes.fileName(token) + ")";
    }

    /**
     * @param token a process token
     * @return the token as 16 hexadecimal digits, as in node and temporary file names
     */
    public static String toHex(long token) {
        return Nodes.fileName(token);
    }

    /**
     * @param hex 16 hexadecimal digits from {@link #toHex}
     * @return the token, or 0 if {@code hex} is not one
     */
    public static long fromHex(String hex) {
        if (hex.length() != 16) {
            return 0;
        }
        try {
            return Long.parseUnsignedLong(hex, 16);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Registers this process in the node folder {@code nodesDir}: creates its node file there and holds its
     * lock until the JVM exits. Must be called before this process's token is written into any object whose
     * folder uses {@code nodesDir}. Idempotent and cheap once done (one {@code stat} to see that the file
     * is still there).
     *
     * @param nodesDir   the node folder, created and checked by the caller
     * @param attributes the permissions for the node file
     * @throws IOException if the node file cannot be created or locked
     */
    public static void register(Path nodesDir, FileAttribute<?> attributes) throws IOException {
        register(nodesDir, attributes, file -> { });
    }

    /**
     * Like {@link #register(Path, FileAttribute)}, with a step that sets up the new node file (group and
     * mode when objects are shared with a group) before it is renamed into place.
     *
     * @param nodesDir   the node folder, created and checked by the caller
     * @param attributes the permissions for the node file
     * @param setup      applied to the new node file before it gets its name
     * @throws IOException if the node file cannot be created, set up or locked
     */
    public static void register(Path nodesDir, FileAttribute<?> attributes, FileSetup setup) throws IOException {
        Nodes.register(nodesDir, SELF, attributes, setup);
    }

    /** Sets up a file this process created (for example its group and mode). */
    @FunctionalInterface
    public interface FileSetup {
        /**
         * @param file the new file
         * @throws IOException if it cannot be set up
         */
        void apply(Path file) throws IOException;
    }

    /**
     * Tells whether the process a token names is still running, looking in the node folders this process
     * registered in (the folders of the objects it has used, so every token it can meet). Unknown counts
     * as alive.
     *
     * @param token a token from {@link #self()} of some process; 0 is never alive
     * @return false only if that process is known to be gone
     */
    public static boolean isAlive(long token) {
        if (token == 0) {
            return false;
        }
        if (token == SELF || JvmTokens.contains(token)) {
            return true;
        }
        return Nodes.isAlive(token);
    }

    /**
     * Tells whether the process a token names is still running, by its node file in {@code nodesDir}
     * only (for tools that inspect a folder without having registered in it). Unknown counts as alive.
     *
     * @param token    a process token; 0 is never alive
     * @param nodesDir the node folder beside the objects
     * @return false only if that process is known to be gone
     */
    public static boolean isAlive(long token, Path nodesDir) {
        if (token == 0) {
            return false;
        }
        if (token == SELF || JvmTokens.contains(token)) {
            return true;
        }
        return Nodes.check(token, nodesDir) == Nodes.Liveness.ALIVE;
    }

    /**
     * Deletes the node files of dead processes in {@code nodesDir} (never one of this JVM's).
     *
     * @param nodesDir the node folder
     * @return how many were deleted
     */
    public static int removeDeadNodes(Path nodesDir) {
        return Nodes.removeDead(nodesDir);
    }
}
