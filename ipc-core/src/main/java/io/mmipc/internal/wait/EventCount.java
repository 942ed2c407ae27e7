package io.mmipc.internal.wait;

import io.mmipc.WaitMode;
import io.mmipc.internal.file.HeaderLayout;
import io.mmipc.internal.file.Registry;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.proc.ProcessIdentity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The one wait/wake mechanism of mmipc: an event count on an 8-byte word of shared memory, which every
 * blocking call (queue put/get, join, pipe recv/poll, lock acquire, semaphores, events, conditions,
 * barriers) waits on.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |            sequence (bumped by a waker; the futex word)       |  +0
 *  +---------------------------------------------------------------+
 *  |            sleepers (threads, in any process, about to sleep) |  +4
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Waiter: check the condition; spin briefly; then announce itself ({@code sleepers++}, volatile), register
 * its doorbell in the file's waiter table if it will use one, re-check the condition, and only then sleep.
 * Waker: after publishing its state change with a volatile write (or a full fence), read {@code sleepers};
 * only if someone sleeps, bump the sequence, futex-wake and ring the registered doorbells. Because both
 * sides write then read with sequentially consistent operations, a waiter either sees the change in its
 * re-check or the waker sees the waiter: no lost wake-ups, and no system call when nobody sleeps.
 *
 * <p>Dead waiters cost at most a failed ring (their table slot is reclaimed when seen dead). Sleeps are
 * chunked so that interrupts and dead-peer checks are noticed: a doorbell sleep is interrupted directly;
 * a futex sleep at most {@link #FUTEX_CHUNK_NANOS} late.
 */
public final class EventCount {
    /** Longest single futex sleep, so interrupts and newly attached doorbell-only processes are noticed. */
    static final long FUTEX_CHUNK_NANOS = 10_000_000L;
    private static final long SPIN_NANOS = Long.getLong("mmipc.spinNanos", 20_000L);
    private static final long MAX_SLEEP_NANOS = 60_000_000_000L;
    private static final int SEQ = 0;
    private static final int SLEEPERS = 4;

    private final MappedMemory memory;
    private final int offset;
    private final WaitMode mode;

    /**
     * @param memory the object's mapping (whose header holds the registry and waiter table)
     * @param offset offset of the 8-byte event word (8-aligned)
     * @param mode   the resolved wait mode of this handle (never {@code AUTO} unresolved: see {@link #resolve})
     */
    public EventCount(MappedMemory memory, int offset, WaitMode mode) {
        if ((offset & 7) != 0) {
            throw new IllegalArgumentException("event word must be 8-aligned: offset=" + offset);
        }
        this.memory = memory;
        this.offset = offset;
        this.mode = mode;
        if (mode != WaitMode.SPIN) {
            Doorbells.prewarm();
        }
    }

    /**
     * Resolves a requested mode for this JVM.
     *
     * @throws IllegalStateException if {@code FUTEX} was requested and this JVM cannot use it
     */
    public static WaitMode resolve(WaitMode requested) {
        WaitMode m = requested == null ? WaitMode.jvmDefault() : requested;
        if (m == WaitMode.FUTEX && !Futex.available()) {
            throw new IllegalStateException("wait mode FUTEX unavailable: " + Futex.unavailableReason());
        }
        return m;
    }

    /**
     * Wakes every waiter. Call after the state change was published with a volatile write or followed by
     * {@link MappedMemory#fullFence()}: the read of {@code sleepers} must not move before it.
     */
    public void signalAll() {
        if (memory.getIntVolatile(offset + SLEEPERS) == 0) {
            return;
        }
        memory.getAndAddInt(offset + SEQ, 1);
        if (Futex.available()) {
            Futex.wake(memory, offset + SEQ, Integer.MAX_VALUE);
        }
        ringDoorbells();
    }

    private void ringDoorbells() {
        for (int i = 0; i < HeaderLayout.WAITER_SLOTS; i++) {
            int slot = HeaderLayout.waiterSlotOffset(i);
            long token = memory.getLongVolatile(slot);
            if (token == 0 || memory.getIntVolatile(slot + 12) != offset) {
                continue;
            }
            int bell = memory.getIntVolatile(slot + 8);
            if (!Doorbells.ring(token, bell) && !ProcessIdentity.isAlive(token)) {
                memory.compareAndSetLong(slot, token, 0);
            }
        }
    }

    /**
     * Waits until {@code ready} is true, the deadline passes, or the thread is interrupted.
     *
     * @param ready        the condition, re-checked after every wake-up (it may have side effects such as
     *                     taking a message, and must be safe to call repeatedly)
     * @param deadlineNanos {@link System#nanoTime()} deadline, or {@link Long#MAX_VALUE} for none (0 or a
     *                      past deadline: one check, no wait)
     * @param checkNanos   longest single sleep before re-checking {@code ready} anyway (for dead-peer
     *                     detection); {@link Long#MAX_VALUE} for none
     * @return true if ready, false on timeout
     * @throws InterruptedException if interrupted while waiting (the wait leaves no trace)
     */
    public boolean await(BooleanSupplier ready, long deadlineNanos, long checkNanos) throws InterruptedException {
        if (ready.getAsBoolean()) {
            return true;
        }
        long start = System.nanoTime();
        long spinUntil = start + (mode == WaitMode.SPIN ? Long.MAX_VALUE / 4 : SPIN_NANOS);
        int spins = 0;
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            long now = System.nanoTime();
            if (deadlineNanos != Long.MAX_VALUE && now - deadlineNanos >= 0) {
                return ready.getAsBoolean();
            }
            if (mode == WaitMode.SPIN || now - spinUntil < 0) {
                if ((++spins & 63) == 0) {
                    Thread.yield();
                } else {
                    Thread.onSpinWait();
                }
            } else {
                long sleep = Math.min(MAX_SLEEP_NANOS,
                        deadlineNanos == Long.MAX_VALUE ? checkNanos : Math.min(deadlineNanos - now, checkNanos));
                if (sleep(ready, sleep)) {
                    return true;
                }
            }
            if (ready.getAsBoolean()) {
                return true;
            }
        }
    }

    /**
     * Announces this thread, re-checks, and sleeps once. Returns true as soon as {@code ready} was seen true
     * (its side effect, such as a claim, has happened, so no exception may follow); interrupts are left in
     * the thread's flag for the caller's loop.
     */
    private boolean sleep(BooleanSupplier ready, long nanos) {
        int seq = memory.getIntVolatile(offset + SEQ);
        memory.getAndAddInt(offset + SLEEPERS, 1);
        try {
            boolean futex = mode == WaitMode.FUTEX
                    || (mode == WaitMode.AUTO && Futex.available() && Registry.allFutexCapable(memory));
            if (futex) {
                if (ready.getAsBoolean()) {
                    return true;
                }
                Futex.await(memory, offset + SEQ, seq, Math.min(nanos, FUTEX_CHUNK_NANOS));
                return false;
            }
            return sleepOnDoorbell(ready, seq, nanos);
        } finally {
            memory.getAndAddInt(offset + SLEEPERS, -1);
        }
    }

    private boolean sleepOnDoorbell(BooleanSupplier ready, int seq, long nanos) {
        int slot = claimSlot();
        if (slot < 0) {
            // Table full: poll instead of sleeping in the kernel (slower to wake, never lost).
            if (ready.getAsBoolean()) {
                return true;
            }
            LockSupport.parkNanos(Math.min(nanos, 1_000_000L));
            return false;
        }
        Doorbell bell = Doorbells.borrow();
        try {
            bell.clear();
            memory.putIntVolatile(slot + 8, bell.number());
            memory.putIntVolatile(slot + 12, offset);
            if (ready.getAsBoolean()) {
                return true;
            }
            if (memory.getIntVolatile(offset + SEQ) == seq) {
                bell.await(nanos);
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("doorbell failed", e);
        } finally {
            memory.putIntVolatile(slot + 12, -1);
            // Release: the slot's fields are cleared before the slot is offered to another waiter.
            memory.putLongRelease(slot, 0);
            Doorbells.release(bell);
        }
    }

    private int claimSlot() {
        long self = ProcessIdentity.self();
        for (int i = 0; i < HeaderLayout.WAITER_SLOTS; i++) {
            int slot = HeaderLayout.waiterSlotOffset(i);
            long token = memory.getLongVolatile(slot);
            if (token == 0 && memory.compareAndSetLong(slot, 0, self)) {
                return slot;
            }
        }
        // Reclaim slots of dead waiters, then try once more.
        for (int i = 0; i < HeaderLayout.WAITER_SLOTS; i++) {
            int slot = HeaderLayout.waiterSlotOffset(i);
            long token = memory.getLongVolatile(slot);
            if (token != 0 && !ProcessIdentity.isAlive(token) && memory.compareAndSetLong(slot, token, self)) {
                return slot;
            }
        }
        return -1;
    }
}
