package io.mmipc.internal.file;

/** The kinds of shared object, as recorded in the header; a file opened as the wrong kind is rejected. */
public enum ObjectType {
    /** A queue. */
    QUEUE(1, "queue"),
    /** A joinable queue. */
    JOINABLE_QUEUE(2, "joinable queue"),
    /** A pipe. */
    PIPE(3, "pipe"),
    /** A shared value. */
    VALUE(4, "value"),
    /** A shared array. */
    ARRAY(5, "array"),
    /** A lock. */
    LOCK(6, "lock"),
    /** A reentrant lock. */
    RLOCK(7, "rlock"),
    /** A semaphore. */
    SEMAPHORE(8, "semaphore"),
    /** An event. */
    EVENT(9, "event"),
    /** A condition. */
    CONDITION(10, "condition"),
    /** A barrier. */
    BARRIER(11, "barrier"),
    /** A shared map. */
    MAP(12, "map"),
    /** A shared list. */
    LIST(13, "list");

    private final int code;
    private final String label;

    ObjectType(int code, String label) {
        this.code = code;
        this.label = label;
    }

    /** @return the code stored in the header */
    public int code() {
        return code;
    }

    /** @return a human name for messages */
    public String label() {
        return label;
    }

    /** @return the type with that code, or null */
    public static ObjectType ofCode(int code) {
        for (ObjectType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
