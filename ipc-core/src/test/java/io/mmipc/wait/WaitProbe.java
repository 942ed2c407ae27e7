package io.mmipc.wait;

import io.mmipc.WaitMode;
import io.mmipc.internal.file.HeaderLayout;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.ring.QueueLayout;
import io.mmipc.internal.wait.Futex;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Reads a queue file's wait internals from outside the queue API: its own mapping, not registered in the
 * file's process registry (so it changes nothing about how others wait). Used by tests to know that a
 * waiter really sleeps (announced in the event's sleepers word, and for doorbell sleeps registered in the
 * waiter table) before waking it.
 */
final class WaitProbe implements AutoCloseable {
    /** Offset of a queue's not-empty event word (consumers sleep on it). */
    static final int NOT_EMPTY = HeaderLayout.BODY_OFFSET + QueueLayout.NOT_EMPTY_EVENT;
    /** Offset of a queue's not-full event word (producers sleep on it). */
    static final int NOT_FULL = HeaderLayout.BODY_OFFSET + QueueLayout.NOT_FULL_EVENT;
    private static final int SLEEPERS = 4;

    private final MappedMemory memory;

    private WaitProbe(MappedMemory memory) {
        this.memory = memory;
    }

    /** Maps the queue file at {@code path}. */
    static WaitProbe of(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return new WaitProbe(MappedMemory.map(ch, ch.size()));
        }
    }

    /** The wait modes this JVM can use: SPIN, DOORBELL, AUTO, and FUTEX when available. */
    static Stream<WaitMode> modes() {
        List<WaitMode> modes = new ArrayList<>(List.of(WaitMode.SPIN, WaitMode.DOORBELL, WaitMode.AUTO));
        if (Futex.available()) {
            modes.add(WaitMode.FUTEX);
        }
        return modes.stream();
    }

    /** Whether waiters in {@code mode} announce themselves before sleeping (all but SPIN). */
    static boolean sleeps(WaitMode mode) {
        return mode != WaitMode.SPIN;
    }

    /**
     * Whether a sleeper in {@code mode} uses a doorbell, given that every process in the test runs like this
     * one (children inherit {@code --enable-native-access}).
     */
    static boolean usesDoorbell(WaitMode mode) {
        return mode == WaitMode.DOORBELL || (mode == WaitMode.AUTO && !Futex.available());
    }

    /** @return the number of threads announced as sleeping on the event at {@code event} */
    int sleepers(int event) {
        return memory.getIntVolatile(event + SLEEPERS) & 0xFFFF;
    }

    /** @return the number of waiter-table slots counted in the event at {@code event} (every sleeper holds one) */
    int slots(int event) {
        return slots(event, false);
    }

    /** @return the number of those slots that name a doorbell (a futex sleeper's slot has bell -1) */
    int doorbellSlots(int event) {
        return slots(event, true);
    }

    /**
     * The doorbell registrations on {@code event}, read until they are {@code expected} (at most
     * {@code timeout}) when one is expected: a doorbell sleeper whose sleep chunk ends leaves its slot and joins
     * again, so a single read can land in between. A count of 0 is read once: a futex sleeper never shows a bell.
     */
    int doorbellSlotsSettled(int event, int expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int n = doorbellSlots(event);
        while (expected > 0 && n != expected && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(200_000);
            n = doorbellSlots(event);
        }
        return n;
    }

    private int slots(int event, boolean doorbellsOnly) {
        int n = 0;
        for (int i = 0; i < HeaderLayout.WAITER_SLOTS; i++) {
            int slot = HeaderLayout.waiterSlotOffset(i);
            // Event field: the event's offset, with flag bits COUNTED (1) and RUNG (2) (WaiterSlots).
            if (memory.getLongVolatile(slot) != 0 && (memory.getIntVolatile(slot + 12) & ~3) == event
                    && (!doorbellsOnly || memory.getIntVolatile(slot + 8) >= 0)) {
                n++;
            }
        }
        return n;
    }

    /** @return the number of waiter-table slots held by anyone */
    int usedSlots() {
        int n = 0;
        for (int i = 0; i < HeaderLayout.WAITER_SLOTS; i++) {
            if (memory.getLongVolatile(HeaderLayout.waiterSlotOffset(i)) != 0) {
                n++;
            }
        }
        return n;
    }

    /**
     * Waits (sleeping 0.2 ms between looks) until at least {@code count} threads sleep on {@code event} in
     * {@code mode}: announced and holding a waiter-table slot counted in the event (so a waker can give the
     * count back if the sleeper dies); the slot names a doorbell for doorbell sleeps, and none for FUTEX. For SPIN, which never announces, it just gives the spinners a moment.
     *
     * @throws AssertionError if that does not happen within {@code timeout}
     */
    void awaitSleepers(int event, int count, WaitMode mode, Duration timeout) {
        if (!sleeps(mode)) {
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            int sleepers = sleepers(event);
            int slots = slots(event);
            int bells = doorbellSlots(event);
            boolean ok = sleepers >= count && slots >= count && (!usesDoorbell(mode) || bells >= count);
            if (ok) {
                // (AUTO may briefly choose a doorbell while another process is half-way through attaching.)
                if (mode == WaitMode.FUTEX && bells != 0) {
                    throw new AssertionError("futex sleepers registered doorbells: doorbellSlots=" + bells);
                }
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("expected " + count + " sleepers on event " + event + " in mode " + mode
                        + " within " + timeout + ": sleepers=" + sleepers + ", slots=" + slots + ", doorbellSlots=" + bells);
            }
            LockSupport.parkNanos(200_000);
        }
    }

    @Override
    public void close() {
        memory.close();
    }
}
