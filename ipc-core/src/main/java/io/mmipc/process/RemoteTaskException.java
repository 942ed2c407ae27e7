package io.mmipc.process;

/**
 * An exception thrown by a task in another JVM, as the parent sees it: its message names the remote
 * exception's class and the process, its stack trace is the child's, and its cause is the remote cause (also
 * a {@code RemoteTaskException}). Python shows a {@code RemoteTraceback}; this is the same idea.
 *
 * <p>The remote exception object itself is not deserialized (its class may not be allowed, or not exist
 * here): {@link #remoteClassName()} names it.
 */
public class RemoteTaskException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The class name of the exception thrown in the child. */
    private final String remoteClassName;
    /** Its message, or null. */
    private final String remoteMessage;
    /** The PID of the child. */
    private final long pid;

    /**
     * Makes one from the parts a child sent.
     *
     * @param remoteClassName the remote exception's class name
     * @param remoteMessage   its message (may be null)
     * @param pid             the process it was thrown in
     */
    public RemoteTaskException(String remoteClassName, String remoteMessage, long pid) {
        super(remoteClassName + (remoteMessage != null ? ": " + remoteMessage : "") + " (in process pid=" + pid + ")");
        this.remoteClassName = remoteClassName;
        this.remoteMessage = remoteMessage;
        this.pid = pid;
    }

    /** {@return the class name of the exception thrown in the child, e.g. {@code java.lang.ArithmeticException}} */
    public String remoteClassName() {
        return remoteClassName;
    }

    /** {@return the message of the exception thrown in the child, or null} */
    public String remoteMessage() {
        return remoteMessage;
    }

    /** {@return the PID of the process the exception was thrown in} */
    public long pid() {
        return pid;
    }
}
