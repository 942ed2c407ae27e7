package io.mmipc.queue;

/**
 * {@code join} cannot complete because tasks were taken by consumers that died (or closed their handle)
 * without marking them done. Python's {@code JoinableQueue.join()} would hang forever here.
 */
public class LostTasksException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** The number of tasks lost. */
    private final long lostTasks;
    /** The PID of the last dead process whose tasks were lost. */
    private final long lastPid;

    /**
     * Creates the exception; its message names the queue, the count and the last PID.
     *
     * @param queue     names the queue
     * @param lostTasks how many tasks were lost
     * @param lastPid   the PID of the last process that left tasks unfinished
     */
    public LostTasksException(String queue, long lostTasks, long lastPid) {
        super(queue + ": " + lostTasks + " task(s) will never be done: taken by consumer(s) that died or "
                + "left without taskDone(); last such pid=" + lastPid);
        this.lostTasks = lostTasks;
        this.lastPid = lastPid;
    }

    /** {@return how many tasks were lost} */
    public long lostTasks() {
        return lostTasks;
    }

    /** {@return the PID of the last process that left tasks unfinished} */
    public long lastPid() {
        return lastPid;
    }
}
