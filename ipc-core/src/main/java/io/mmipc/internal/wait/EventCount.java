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
 * <p>Waiter: check the condition; spin briefly; then take a slot in the file's waiter table (its process
 * token, its doorbell or -1 for a futex, and — written only after {@code sleepers++} — the offset of the
 * event it counted itself in), re-check the condition, and only then sleep.
 * Waker: after publishing its state change with a volatile write (or a full fence), read {@code sleepers};
 * only if someone sleeps, bump the sequence, futex-wake and ring the registered doorbells. Because both
 * sides write then read with sequentially consistent operations, a waiter either sees the change in its
 * re-check or the waker sees the waiter: no lost wake-ups, and no system call when nobody sleeps.
 *
 * <p>Dead waiters cost at most a wasted wake-up: a waker that finds sleepers counted checks, at most every
 * {@link #HEAL_NANOS}, whether the slots counted in this event belong to live processes, and gives back the
 * count and the slot of a dead one, so a waiter killed in its sleep does not leave every later signal paying
 * a system call. Sleeps are
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

    /** Shortest interval between two liveness checks of the sleepers counted in one event, per handle. */
    static final long HEAL_NANOS = 100_000_000L;
    private static final int SLOT_TOKEN = 0;
    private static final int SLOT_BELL = 8;
    private static final int SLOT_EVENT = 12;
    private static final int FUTEX_BELL = -1;

    private final MappedMemory memory;
    private final int offset;
    private final WaitMode mode;
    private volatile long lastHeal = System.nanoTime();

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
        long now = System.nanoTime();
        boolean heal = now - lastHeal >= HEAL_NANOS;
        if (heal) {
            lastHeal = now;
        }
        ringDoorbells(heal);
    }

    private void ringDoorbells(boolean heal) {
        for (int i = 0; i < HeaderLayout.WAITER_SLOTS; i++) {
            int slot = HeaderLayout.waiterSlotOffset(i);
            long token = memory.getLongVolatile(slot + SLOT_TOKEN);
            if (token == 0 || memory.getIntVolatile(slot + SLOT_EVENT) != offset) {
                continue;
            }
            int bell = memory.getIntVolatile(slot + SLOT_BELL);
            boolean rung = bell != FUTEX_BELL && Doorbells.ring(token, bell);
            if (!rung && (heal || bell != FUTEX_BELL) && !ProcessIdentity.isAlive(token)) {
                reclaim(slot, token, 0);
            }
        }
    }

    /**
     * Takes a dead waiter's slot ({@code token} to {@code newToken}); if that waiter had counted itself in an
     * event, gives the count back. Only the CAS winner does so, and a dead waiter never changes its slot again.
     */
    private boolean reclaim(int slot, long token, long newToken) {
        int event = memory.getIntVolatile(slot + SLOT_EVENT);
        if (!memory.compareAndSetLong(slot + SLOT_TOKEN, token, newToken)) {
            return false;
        }
        // Real event words live in a body; 0 (a fresh slot) and -1 (not counted) give nothing back.
        if (event >= HeaderLayout.BODY_OFFSET) {
            memory.getAndAddInt(event + SLEEPERS, -1);
        }
        memory.putIntVolatile(slot + SLOT_EVENT, -1);
        return true;
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
     * Registers, announces this thread, re-checks, and sleeps once. Returns true as soon as {@code ready} was
     * seen true (its side effect, such as a claim, has happened, so no exception may follow); interrupts are
     * left in the thread's flag for the caller's loop.
     */
    private boolean sleep(BooleanSupplier ready, long nanos) {
        int seq = memory.getIntVolatile(offset + SEQ);
        boolean futex = mode == WaitMode.FUTEX
                || (mode == WaitMode.AUTO && Futex.available() && Registry.allFutexCapable(memory));
        int slot = claimSlot();
        if (slot < 0) {
            // Table full: poll instead of sleeping in the kernel (slower to wake, never lost).
            if (ready.getAsBoolean()) {
                return true;
            }
            LockSupport.parkNanos(Math.min(nanos, 1_000_000L));
            return false;
        }
        Doorbell bell = futex ? null : Doorbells.borrow();
        boolean counted = false;
        try {
            if (bell != null) {
                bell.clear();
            }
            memory.putIntVolatile(slot + SLOT_BELL, bell != null ? bell.number() : FUTEX_BELL);
            memory.getAndAddInt(offset + SLEEPERS, 1);
            counted = true;
            // Volatile: from here a reclaimer of this slot (after our death) gives the count back.
            memory.putIntVolatile(slot + SLOT_EVENT, offset);
            if (ready.getAsBoolean()) {
                return true;
            }
            if (futex) {
                Futex.await(memory, offset + SEQ, seq, Math.min(nanos, FUTEX_CHUNK_NANOS));
            } else if (memory.getIntVolatile(offset + SEQ) == seq) {
                bell.await(nanos);
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("doorbell failed", e);
        } finally {
            memory.putIntVolatile(slot + SLOT_EVENT, -1);
            if (counted) {
                memory.getAndAddInt(offset + SLEEPERS, -1);
            }
            // Release: the slot's fields are cleared before the slot is offered to another waiter.
            memory.putLongRelease(slot + SLOT_TOKEN, 0);
            if (bell != null) {
                Doorbells.release(bell);
            }
        }
    }

    private int claimSlot() {
        long self = ProcessIdentity.self();
        for (int i = 0; i < HeaderLayout.WAITER_SLOTS; i++) {
            int slot = HeaderLayout.waiterSlotOffset(i);
            if (memory.getLongVolatile(slot + SLOT_TOKEN) == 0 && memory.compareAndSetLong(slot + SLOT_TOKEN, 0, self)) {
                memory.putIntVolatile(slot + SLOT_EVENT, -1);
                return slot;
            }
        }
        // Reclaim slots of dead waiters (giving back their counts), then use one.
        for (int i = 0; i < HeaderLayout.WAITER_SLOTS; i++) {
            int slot = HeaderLayout.waiterSlotOffset(i);
            long token = memory.getLongVolatile(slot + SLOT_TOKEN);
            if (token != 0 && token != self && !ProcessIdentity.isAlive(token) && reclaim(slot, token, self)) {
                return slot;
            }
        }
        return -1;
    }
}
