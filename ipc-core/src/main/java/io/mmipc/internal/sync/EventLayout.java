package io.mmipc.internal.sync;

import io.mmipc.internal.file.HeaderLayout;

/**
 * Descriptor of an event file.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |     common header, no layout parameters                       | 0
 *  +---------------------------------------------------------------+
 *  |     flag: 1 set, 0 clear (long)                                | B = BODY_OFFSET
 *  +---------------------------------------------------------------+
 *  |     changed: event word (waiters sleep here)                   | B+8
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * {@code set} volatile-stores 1 (publishing what the setter wrote before) and signals; a waiter returns
 * once it reads 1. Nobody holds anything, so there is nothing to clean up after a dead process.
 */
public final class EventLayout {
    /** Layout version of event files. */
    public static final int VERSION = 1;
    /** Offset of the flag (long). */
    public static final int FLAG = HeaderLayout.BODY_OFFSET;
    /** Offset of the changed event word. */
    public static final int CHANGED_EVENT = FLAG + 8;
    /** Size of an event file. */
    public static final long FILE_SIZE = HeaderLayout.BODY_OFFSET + 128;

    private EventLayout() {
    }
}
