package io.mmipc.internal.wait;

import io.mmipc.WaitMode;
import io.mmipc.codec.Codecs;
import io.mmipc.internal.file.HeaderLayout;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.proc.ProcessIdentity;
import io.mmipc.queue.SharedQueue;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The waiter-table protocol on a real mapping, with dead sleepers simulated by writing their exact state into
 * a slot: a token of this PID with another start time is a process that is not alive.
 */
@Timeout(60)
class WaiterSlotsTest {
    private static final int EVENT = HeaderLayout.BODY_OFFSET;
    private static final int OTHER_EVENT = HeaderLayout.BODY_OFFSET + 128;
    private static final long DEAD = ProcessIdentity.self() ^ (1L << 40);

    private Path dir;
    private MappedMemory memory;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("slots");
        Path file = dir.resolve("table");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            memory = MappedMemory.map(ch, HeaderLayout.BODY_OFFSET + 4096);
        }
        // Liveness is judged in the node folders this process has registered in: register in this one (an
        // object made there does it), or run alone this class would find no folder and count DEAD as alive.
        SharedQueue.builder("anchor", Codecs.bytes()).directory(dir).create().close();
        assertFalse(ProcessIdentity.isAlive(DEAD), "the simulated dead token must not be alive");
    }

    @AfterEach
    void tearDown() throws Exception {
        WaiterSlots.ReclaimHook.hook = null;
        memory.close();
        TestDirs.delete(dir);
    }

    private void deadSleeper(int index, int bell, int eventField, int event) {
        int slot = HeaderLayout.waiterSlotOffset(index);
        memory.putLongVolatile(slot + WaiterSlots.TOKEN, DEAD);
        memory.putIntVolatile(slot + WaiterSlots.BELL, bell);
        memory.putIntVolatile(slot + WaiterSlots.EVENT, eventField);
        if (event != 0) {
            memory.getAndAddInt(event + WaiterSlots.SLEEPERS, WaiterSlots.JOIN);
        }
    }

    private int count(int event) {
        return WaiterSlots.count(memory.getIntVolatile(event + WaiterSlots.SLEEPERS));
    }

    /** Issue 14 item 6, first half: a slot under reclaim must not be offered to (and erase) a new sleeper. */
    @Test
    void newSleeperIsNotErasedByAConcurrentReclaim() {
        deadSleeper(0, WaiterSlots.FUTEX_BELL, EVENT | WaiterSlots.COUNTED, EVENT);
        int[] newcomer = {-1};
        WaiterSlots.ReclaimHook.hook = slot -> {
            // A new sleeper arrives while the reclaimer is between taking the slot and cleaning it.
            newcomer[0] = WaiterSlots.claim(memory);
            WaiterSlots.join(memory, newcomer[0], OTHER_EVENT, WaiterSlots.FUTEX_BELL);
        };
        int slot0 = HeaderLayout.waiterSlotOffset(0);
        assertTrue(WaiterSlots.reclaim(memory, slot0, DEAD, false));
        WaiterSlots.ReclaimHook.hook = null;

        assertNotEquals(-1, newcomer[0]);
        assertEquals(OTHER_EVENT | WaiterSlots.COUNTED, memory.getIntVolatile(newcomer[0] + WaiterSlots.EVENT),
                "the new sleeper's registration survives");
        assertEquals(ProcessIdentity.self(), memory.getLongVolatile(newcomer[0] + WaiterSlots.TOKEN));
        assertEquals(1, count(OTHER_EVENT));
        assertEquals(0, count(EVENT), "the dead sleeper's count was given back");
        if (newcomer[0] != slot0) {
            assertEquals(0, memory.getLongVolatile(slot0 + WaiterSlots.TOKEN), "the reclaimed slot is free again");
        }
        WaiterSlots.leave(memory, newcomer[0]);
        assertEquals(0, count(OTHER_EVENT));
    }

    /** Issue 14 item 6, second half: a count whose sleeper died before it was surely recorded is healed. */
    @Test
    void countLeakedByASleeperKilledWhileCountingIsHealedBySignals() {
        // Killed between naming its event and marking itself counted, after the count was taken.
        deadSleeper(3, 7, EVENT, EVENT);
        EventCount event = new EventCount(memory, EVENT, WaitMode.DOORBELL);
        event.signalAll(); // reclaims the dead slot (its doorbell is gone), cannot know whether it counted
        event.signalAll(); // no slot names the event any more: the count is a leak
        assertEquals(0, count(EVENT));
        assertEquals(0, memory.getLongVolatile(HeaderLayout.waiterSlotOffset(3) + WaiterSlots.TOKEN));
    }

    /** The state the old protocol left: counted, event never recorded. */
    @Test
    void countWithNoSlotNamingTheEventIsHealed() {
        memory.getAndAddInt(EVENT + WaiterSlots.SLEEPERS, WaiterSlots.JOIN);
        new EventCount(memory, EVENT, WaitMode.DOORBELL).signalAll();
        assertEquals(0, count(EVENT));
    }

    @Test
    void healNeverUncountsALiveSleeper() {
        int slot = WaiterSlots.claim(memory);
        WaiterSlots.join(memory, slot, EVENT, WaiterSlots.FUTEX_BELL);
        EventCount event = new EventCount(memory, EVENT, WaitMode.DOORBELL);
        event.signalAll();
        assertEquals(1, count(EVENT));

        // A heal that read the word before a sleeper joined (and left its own slot) must fail its CAS.
        int before = memory.getIntVolatile(EVENT + WaiterSlots.SLEEPERS);
        WaiterSlots.leave(memory, slot);
        int again = WaiterSlots.claim(memory);
        WaiterSlots.join(memory, again, EVENT, WaiterSlots.FUTEX_BELL);
        WaiterSlots.healLeakedCount(memory, EVENT, before & ~WaiterSlots.COUNT_MASK | 1);
        assertEquals(1, count(EVENT));
        WaiterSlots.leave(memory, again);
        assertEquals(0, count(EVENT));
    }

    @Test
    void ownerAndReclaimerGiveTheCountBackOnce() {
        int slot = WaiterSlots.claim(memory);
        WaiterSlots.join(memory, slot, EVENT, WaiterSlots.FUTEX_BELL);
        // A reclaimer that wrongly believed the owner dead, then the owner leaving.
        assertTrue(WaiterSlots.reclaim(memory, slot, ProcessIdentity.self(), true));
        WaiterSlots.leave(memory, slot);
        assertEquals(0, count(EVENT));
        assertEquals(0, memory.getIntVolatile(EVENT + WaiterSlots.SLEEPERS) & WaiterSlots.COUNT_MASK);
    }

    @Test
    void sleeperKilledAfterItsRingIsGivenBackByALaterSignalOne() throws Exception {
        // A put's signalOne marks a doorbell sleeper RUNG and rings it; killed before it left its slot, it is
        // skipped by every later signalOne (already rung), which must still notice it is dead.
        deadSleeper(2, 9, EVENT | WaiterSlots.COUNTED | WaiterSlots.RUNG, EVENT);
        EventCount event = new EventCount(memory, EVENT, WaitMode.DOORBELL);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (count(EVENT) != 0) {
            assertTrue(System.nanoTime() < deadline, "the dead, rung sleeper is still counted");
            Thread.sleep(50); // liveness is looked at every EventCount.HEAL_NANOS at most
            event.signalOne();
        }
        assertEquals(0L, memory.getLongVolatile(HeaderLayout.waiterSlotOffset(2) + WaiterSlots.TOKEN));
    }

    @Test
    void deadSleeperCountedInItsEventIsGivenBackAtOnce() {
        deadSleeper(5, 9, EVENT | WaiterSlots.COUNTED, EVENT);
        int live = WaiterSlots.claim(memory);
        WaiterSlots.join(memory, live, EVENT, WaiterSlots.FUTEX_BELL);
        new EventCount(memory, EVENT, WaitMode.DOORBELL).signalAll();
        assertEquals(1, count(EVENT), "only the live sleeper stays counted");
        WaiterSlots.leave(memory, live);
        assertEquals(0, count(EVENT));
    }
}
