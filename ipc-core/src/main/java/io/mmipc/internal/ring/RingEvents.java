package io.mmipc.internal.ring;

import io.mmipc.internal.file.HeaderCounters;
import io.mmipc.internal.file.HeaderLayout;
import io.mmipc.internal.log.Log;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.proc.ProcessIdentity;

import java.lang.System.Logger.Level;

/**
 * The rare events of the message path that an operator should see: counted in the object's header
 * ({@link HeaderCounters}) and logged on {@link Log#QUEUE}. Never called per message except for side-file
 * writes, which already cost a file of their own.
 */
public final class RingEvents {
    private RingEvents() {
    }

    /**
     * Records messages that producers claimed and never published because they died: they are skipped, lost.
     *
     * @param memory the object's mapping
     * @param label  names the object
     * @param token  the dead producer's process token, or 0 if no longer known
     * @param claims how many records were skipped (nothing happens for 0)
     */
    public static void claimsSkipped(MappedMemory memory, String label, long token, int claims) {
        if (claims <= 0) {
            return;
        }
        HeaderCounters.add(memory, HeaderLayout.COUNTER_CLAIMS_SKIPPED, claims);
        Log.QUEUE.log(Level.WARNING, () -> label + ": skipped " + claims + " message(s) a producer died writing, lost: "
                + pidText(token) + ", claims=" + claims);
    }

    /**
     * Records tasks of a joinable queue that a process took and will never mark done.
     *
     * @param label names the queue
     * @param token the process's token
     * @param tasks how many tasks it held (nothing happens for 0)
     * @param died  true if it died, false if it closed its last handle without {@code taskDone}
     */
    static void tasksLost(String label, long token, long tasks, boolean died) {
        if (tasks <= 0) {
            return;
        }
        Log.QUEUE.log(Level.WARNING, () -> label + ": " + tasks + " task(s) lost: taken by a process that "
                + (died ? "died" : "closed the queue") + " before taskDone(): " + pidText(token) + ", tasks=" + tasks);
    }

    /**
     * Counts one message written to a side file.
     *
     * @param memory the object's mapping
     */
    static void sideFileWritten(MappedMemory memory) {
        HeaderCounters.add(memory, HeaderLayout.COUNTER_SIDE_FILE_MESSAGES, 1);
    }

    private static String pidText(long token) {
        return token == 0 ? "pid=unknown" : "pid=" + ProcessIdentity.pid(token);
    }
}
