package io.mmipc.internal.wait;

import io.mmipc.WaitMode;
import io.mmipc.internal.file.HeaderCounters;
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
 *  | joins (16 bits) | sleepers (16 bits: threads about to sleep)  |  +4  see WaiterSlots
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Waiter: check the condition; spin briefly; then take a slot in the file's waiter table (its process
 * token, its doorbell or -1 for a futex, and the event it is about to count itself in), count itself in
 * {@code sleepers} ({@link WaiterSlots} has the slot protocol), re-check the condition, and only then sleep.
 * Waker: after publishing its state change with a volatile write (or a full fence), read {@code sleepers};
 * only if someone sleeps, count a wake-up in the header ({@link HeaderLayout#COUNTER_WAKEUPS}), bump the
 * sequence, futex-wake and ring the registered doorbells. Because both
 * sides write then read with sequentially consistent operations, a waiter either sees the change in its
 * re-check or the waker sees the waiter: no lost wake-ups, and no system call when nobody sleeps.
 *
 * <p>Dead waiters cost at most a wasted wake-up: a waker that finds sleepers counted checks, at most every
 * {@link #HEAL_NANOS}, whether the slots counted in this event belong to live processes, and gives back the
 * count and the slot of a dead one, so a waiter killed in its sleep does not leave every later signal paying
 * a system call. Interrupts end a doorbell sleep directly, and a futex sleep within
 * {@link FutexWatch#PERIOD_NANOS} (the per-process watcher wakes it).
 */
public final class EventCount {
    /**
     * Longest single futex sleep. Interrupts and newly attached doorbell-only processes are noticed sooner, by
     * {@link FutexWatch}; this bound is only a safety net.
     */
    static final long FUTEX_CHUNK_NANOS = 1_000_000_000L;
    private static final long MAX_SLEEP_NANOS = 60_000_000_000L;
    private static final int SEQ = 0;

    /** Shortest interval between two liveness checks of the sleepers counted in one event, per handle. */
    static final long HEAL_NANOS = 100_000_000L;

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
        int sleepers = memory.getIntVolatile(offset + WaiterSlots.SLEEPERS);
        if (WaiterSlots.count(sleepers) == 0) {
            return;
        }
        HeaderCounters.add(memory, HeaderLayout.COUNTER_WAKEUPS, 1);
        memory.getAndAddInt(offset + SEQ, 1);
        if (Futex.available()) {
            Futex.wake(memory, offset + SEQ, Integer.MAX_VALUE);
        }
        boolean heal = healDue();
        SpinPolicy.wokeSomeone();
        if (ringDoorbells(heal) == 0) {
            // Counted, yet no slot names this event: sleepers that died before being surely counted.
            WaiterSlots.healLeakedCount(memory, offset, sleepers);
        }
    }

    /**
     * Wakes one waiter: for a state change that only one waiter can use (one message put, where every waiter
     * takes one). Call after the change was published, as for {@link #signalAll}. A doorbell sleeper that was
     * rung is marked, so that a second {@code signalOne} before it has left wakes another; futex sleepers are
     * woken one per call by the kernel. A woken waiter that then leaves without its condition true (timeout,
     * interrupt) passes the signal on ({@link #await}), so no wake-up is lost.
     */
    public void signalOne() {
        int sleepers = memory.getIntVolatile(offset + WaiterSlots.SLEEPERS);
        if (WaiterSlots.count(sleepers) == 0) {
            return;
        }
        HeaderCounters.add(memory, HeaderLayout.COUNTER_WAKEUPS, 1);
        memory.getAndAddInt(offset + SEQ, 1);
        SpinPolicy.wokeSomeone();
        boolean heal = healDue();
        int named = 0;
        boolean futexSleeper = false;
        boolean rang = false;
        for (int i = 0; i < HeaderLayout.WAITER_SLOTS; i++) {
            int slot = HeaderLayout.waiterSlotOffset(i);
            long token = memory.getLongVolatile(slot + WaiterSlots.TOKEN);
            int field = memory.getIntVolatile(slot + WaiterSlots.EVENT);
            if (token == 0 || !WaiterSlots.names(field, offset)) {
                continue;
            }
            named++;
            int bell = memory.getIntVolatile(slot + WaiterSlots.BELL);
            if (bell == WaiterSlots.FUTEX_BELL) {
                // A futex sleeper's death shows in no failed call: look at its process now and then, as
                // signalAll does, or a killed one would stay counted and every signal pay a system call.
                if (heal && !ProcessIdentity.isAlive(token)) {
                    WaiterSlots.reclaim(memory, slot, token, false);
                } else {
                    futexSleeper = true;
                }
            } else if (!rang && WaiterSlots.markRung(memory, slot, field)) {
                if (Doorbells.ring(token, bell)) {
                    if (!heal) {
                        return;
                    }
                    rang = true; // the rest of the scan only looks for the dead
                } else if (!ProcessIdentity.isAlive(token)) {
                    WaiterSlots.reclaim(memory, slot, token, false);
                }
            } else if (heal && !ProcessIdentity.isAlive(token)) {
                // Rung before (or passed over after this signal rang): a sleeper killed after its ring and
                // before it left its slot is never rung again, so only this look gives its count back.
                WaiterSlots.reclaim(memory, slot, token, false);
            }
        }
        if (rang) {
            return;
        }
        if (Futex.available() && (futexSleeper || named == 0)) {
            // One futex sleeper (or one still on its way into the kernel: it sees the new sequence).
            Futex.wake(memory, offset + SEQ, 1);
        }
        if (named == 0) {
            WaiterSlots.healLeakedCount(memory, offset, sleepers);
        }
    }

    /**
     * @return whether this signal should check the liveness of the sleepers it cannot wake by a failing call
     *         (futex sleepers): at most every {@link #HEAL_NANOS} per handle
     */
    private boolean healDue() {
        long now = System.nanoTime();
        if (now - lastHeal < HEAL_NANOS) {
            return false;
        }
        lastHeal = now;
        return true;
    }

    /** Rings every doorbell registered on this event, reclaiming dead waiters' slots; returns the slots seen. */
    private int ringDoorbells(boolean heal) {
        int named = 0;
        for (int i = 0; i < HeaderLayout.WAITER_SLOTS; i++) {
            int slot = HeaderLayout.waiterSlotOffset(i);
            long token = memory.getLongVolatile(slot + WaiterSlots.TOKEN);
            if (token == 0 || !WaiterSlots.names(memory.getIntVolatile(slot + WaiterSlots.EVENT), offset)) {
                continue;
            }
            named++;
            int bell = memory.getIntVolatile(slot + WaiterSlots.BELL);
            boolean rung = bell != WaiterSlots.FUTEX_BELL && Doorbells.ring(token, bell);
            if (!rung && (heal || bell != WaiterSlots.FUTEX_BELL) && !ProcessIdentity.isAlive(token)) {
                WaiterSlots.reclaim(memory, slot, token, false);
            }
        }
        return named;
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
        long budget = SpinPolicy.begin(start);
        boolean afterWake = budget < 0;
        long spinUntil = start + (mode == WaitMode.SPIN ? Long.MAX_VALUE / 4 : Math.abs(budget));
        boolean slept = false;
        int looksToYield = SpinPolicy.looksPerYield();
        while (true) {
            if (Thread.interrupted()) {
                passOn(slept);
                throw new InterruptedException();
            }
            long now = System.nanoTime();
            if (deadlineNanos != Long.MAX_VALUE && now - deadlineNanos >= 0) {
                if (ready.getAsBoolean()) {
                    return true;
                }
                passOn(slept);
                return false;
            }
            if (mode == WaitMode.SPIN || now - spinUntil < 0) {
                if (--looksToYield <= 0) {
                    looksToYield = SpinPolicy.yieldAndPace();
                } else {
                    Thread.onSpinWait();
                }
            } else {
                long sleep = Math.min(MAX_SLEEP_NANOS,
                        deadlineNanos == Long.MAX_VALUE ? checkNanos : Math.min(deadlineNanos - now, checkNanos));
                slept = true;
                if (sleep(ready, sleep)) {
                    SpinPolicy.learn(afterWake, false, System.nanoTime() - start);
                    return true;
                }
            }
            if (ready.getAsBoolean()) {
                SpinPolicy.learn(afterWake, !slept, System.nanoTime() - start);
                return true;
            }
        }
    }

    /**
     * A waiter that slept and leaves without its condition true may have been the one a {@link #signalOne}
     * woke: it hands that wake-up to another sleeper (a wasted system call at worst, on a rare path).
     */
    private void passOn(boolean slept) {
        if (slept) {
            signalOne();
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
        int slot = WaiterSlots.claim(memory);
        if (slot < 0) {
            // Table full: poll instead of sleeping in the kernel (slower to wake, never lost).
            if (ready.getAsBoolean()) {
                return true;
            }
            LockSupport.parkNanos(Math.min(nanos, 1_000_000L));
            return false;
        }
        Doorbell bell = null;
        boolean joined = false;
        boolean rung = true;
        try {
            // No clear() of stale rings first: that would cost every sleep a system call, while a stale ring
            // (rare: a waker rang while this bell's last sleeper was leaving) costs one spurious wake-up.
            bell = futex ? null : Doorbells.borrow();
            WaiterSlots.join(memory, slot, offset, bell != null ? bell.number() : WaiterSlots.FUTEX_BELL);
            joined = true;
            if (ready.getAsBoolean()) {
                return true;
            }
            if (futex) {
                FutexWatch.Sleeper watched = FutexWatch.enter(memory, offset + SEQ, mode == WaitMode.AUTO);
                try {
                    if (!Thread.currentThread().isInterrupted()) {
                        Futex.await(memory, offset + SEQ, seq, Math.min(nanos, FUTEX_CHUNK_NANOS));
                    }
                } finally {
                    FutexWatch.leave(watched);
                }
            } else if (memory.getIntVolatile(offset + SEQ) == seq) {
                rung = bell.await(nanos);
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("doorbell failed: " + e.getMessage(), e);
        } finally {
            if (joined) {
                WaiterSlots.leave(memory, slot);
            } else {
                WaiterSlots.free(memory, slot);
            }
            if (bell != null) {
                Doorbells.release(bell, !rung);
            }
        }
    }
}
