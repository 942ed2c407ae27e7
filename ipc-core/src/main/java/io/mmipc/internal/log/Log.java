package io.mmipc.internal.log;

import java.lang.System.Logger;

/**
 * The loggers of mmipc, one per concern, through {@link System.Logger}: with no logging library on the class
 * path they go to {@code java.util.logging}, whose default configuration prints {@code INFO} and above to
 * stderr; an application that routes {@code System.Logger} elsewhere (SLF4J, Log4j) gets them there.
 *
 * <p>Levels: {@code WARNING} for events that affect data or another process (a lock taken over from a dead
 * owner, a dead producer's message skipped, tasks lost, a side file that could not be removed, a mapping that
 * faulted); {@code DEBUG} for routine recovery (a dead process's registry entry reclaimed) and for best-effort
 * cleanup that failed harmlessly; nothing at all for normal operation. Only rare recovery and cleanup paths
 * log: never a put, get, send, receive or wake-up.
 *
 * <p>Messages name the object the way exceptions do ({@code queue 'jobs'}) and use {@code key=value} for
 * numbers ({@code pid=1234}). Callers log on these fields directly ({@code Log.SYNC.log(Level.WARNING, () ->
 * ...)}, a supplier where the message is built), so that a handler's source class and method are the
 * caller's, not a wrapper's.
 */
public final class Log {
    /** Queues, pipes and their rings: claims of dead producers, lost tasks, side files. */
    public static final Logger QUEUE = System.getLogger("io.mmipc.queue");
    /** Locks and the other synchronization objects: takeovers from dead owners. */
    public static final Logger SYNC = System.getLogger("io.mmipc.sync");
    /** Object files: registry entries reclaimed from dead processes, mappings, file cleanup. */
    public static final Logger FILE = System.getLogger("io.mmipc.file");
    /** Waiting and waking: doorbell sockets and their cleanup. */
    public static final Logger WAIT = System.getLogger("io.mmipc.wait");
    /** Child processes and pools: their folders, output and handles. */
    public static final Logger PROCESS = System.getLogger("io.mmipc.process");

    private Log() {
    }
}
