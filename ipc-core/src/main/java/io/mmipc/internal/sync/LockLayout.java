package io.mmipc.internal.sync;

import io.mmipc.internal.file.HeaderLayout;

/**
 * Descriptor of a lock block, the 64 bytes every cross-process lock is made of, and of the lock and rlock
 * files that hold nothing else. A lock block also sits at the start of the body of condition files and of
 * value and array files that have a lock (see {@link ConditionLayout}, {@link ValueLayout}).
 *
 * <pre>
 *  lock block, from base L (offsets relative to L; L is 128-aligned):
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |     owner process token (0 = free): the RobustMutex word, CAS  | L+0
 *  +---------------------------------------------------------------+
 *  |     owner thread's process token (0 = none yet)               | L+8   release-stored by the owner
 *  +---------------------------------------------------------------+
 *  |     owner thread id (Thread.getId() in that process)          | L+16
 *  +---------------------------------------------------------------+
 *  |     hold count                |  flags (bit 0: OWNER_DIED)    | L+24, L+28
 *  +---------------------------------------------------------------+
 *  |     released: event word (EventCount; waiters sleep here)     | L+32
 *  +---------------------------------------------------------------+
 *  |     takeovers: times the lock was taken from a dead owner      | L+40
 *  +---------------------------------------------------------------+
 *  |     reserved                                                  | L+48 .. L+64
 *  +---------------------------------------------------------------+
 *
 *  lock or rlock file:
 *  +---------------------------------------------------------------+
 *  |     common header (HeaderLayout), no layout parameters        | 0
 *  +---------------------------------------------------------------+
 *  |     lock block                                                | BODY_OFFSET
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * The process token alone decides who holds the lock across processes (one CAS, robust against the owner's
 * death). The thread fields tell which thread of the owning process holds it; they are written only by the
 * owner, after it won the CAS, and cleared by it before it releases. A thread is the owner only if the lock
 * word, the owner thread's process token <em>and</em> the thread id all name it: thread ids are
 * per-process, so after a takeover from a dead process the stale thread id may equal a live thread's id in
 * the new owner's process; the owner-thread token, release-stored after the thread id, rules that out.
 * The lock word and its event share a cache line on purpose: a release writes the one and reads the other.
 */
public final class LockLayout {
    /** Layout version of lock and rlock files. */
    public static final int VERSION = 1;
    /** Offset of the owner process token, relative to the block. */
    public static final int OWNER = 0;
    /** Offset of the owner thread's process token. */
    public static final int OWNER_PROCESS = 8;
    /** Offset of the owner thread id. */
    public static final int OWNER_THREAD = 16;
    /** Offset of the hold count (int). */
    public static final int HOLDS = 24;
    /** Offset of the flags (int). */
    public static final int FLAGS = 28;
    /** Offset of the released event word. */
    public static final int RELEASED_EVENT = 32;
    /** Offset of the takeover counter (long). */
    public static final int TAKEOVERS = 40;
    /** Bytes a lock block occupies. */
    public static final int BLOCK_SIZE = 64;
    /** Flag: the current hold was taken over from an owner process that died holding the lock. */
    public static final int FLAG_OWNER_DIED = 1;

    /** Offset of the lock block in a lock or rlock file. */
    public static final int BLOCK = HeaderLayout.BODY_OFFSET;
    /** Size of a lock or rlock file. */
    public static final long FILE_SIZE = HeaderLayout.BODY_OFFSET + 128;

    private LockLayout() {
    }
}
