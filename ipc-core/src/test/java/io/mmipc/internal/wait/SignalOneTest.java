package io.mmipc.internal.wait;

import io.mmipc.WaitMode;
import io.mmipc.internal.file.HeaderLayout;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.proc.ProcessIdentity;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link EventCount#signalOne()}: one sleeper per signal, never the same one twice, none lost. */
@Timeout(60)
class SignalOneTest {
    private static final int EVENT = HeaderLayout.BODY_OFFSET;

    private Path dir;
    private MappedMemory memory;
    private final FakeBells bells = new FakeBells();

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("signalone");
        try (FileChannel ch = FileChannel.open(dir.resolve("f"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            memory = MappedMemory.map(ch, HeaderLayout.BODY_OFFSET + 4096);
        }
        Doorbells.release(Doorbells.borrow()); // makes the doorbell folder
    }

    @AfterEach
    void tearDown() throws Exception {
        bells.close();
        memory.close();
        TestDirs.delete(dir);
    }

    /** A sleeper of this process registered in slot {@code index} with a doorbell nobody else uses. */
    private void fakeDoorbellSleeper(int index, int number) throws Exception {
        bells.create(ProcessIdentity.self(), number);
        int slot = HeaderLayout.waiterSlotOffset(index);
        memory.putLongVolatile(slot + WaiterSlots.TOKEN, ProcessIdentity.self());
        WaiterSlots.join(memory, slot, EVENT, number);
    }

    private int field(int index) {
        return memory.getIntVolatile(HeaderLayout.waiterSlotOffset(index) + WaiterSlots.EVENT);
    }

    @Test
    void eachSignalRingsOneSleeperAndNeverTheSameTwice() throws Exception {
        fakeDoorbellSleeper(0, 3_000_000);
        fakeDoorbellSleeper(1, 3_000_001);
        EventCount event = new EventCount(memory, EVENT, WaitMode.DOORBELL);

        event.signalOne();
        assertTrue((field(0) & WaiterSlots.RUNG) != 0, "the first sleeper is rung");
        assertFalse((field(1) & WaiterSlots.RUNG) != 0, "the second is left asleep");
        assertTrue(connected(bells.get(0)));

        event.signalOne();
        assertTrue((field(1) & WaiterSlots.RUNG) != 0, "a second signal wakes the other sleeper");
        assertTrue(connected(bells.get(1)));
        assertEquals(2, WaiterSlots.count(memory.getIntVolatile(EVENT + WaiterSlots.SLEEPERS)));
    }

    private static boolean connected(ServerSocketChannel s) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (s.accept() == null) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    @Test
    void aWaiterThatTimesOutAfterBeingWokenPassesTheWakeUpOn() throws Exception {
        EventCount event = new EventCount(memory, EVENT, WaitMode.DOORBELL);
        AtomicInteger permits = new AtomicInteger();
        CompletableFuture<Boolean> first = new CompletableFuture<>();
        CompletableFuture<Boolean> second = new CompletableFuture<>();
        // The first sleeper (lowest slot, rung first) waits for something else and gives up after 1 s.
        start("first", first, () -> event.await(() -> false, System.nanoTime() + TimeUnit.SECONDS.toNanos(1),
                Long.MAX_VALUE));
        awaitSleepers(1);
        // The second waits for a permit, without deadline or re-check: only a wake-up can end its sleep.
        start("second", second, () -> event.await(() -> permits.getAndUpdate(p -> p > 0 ? p - 1 : p) > 0,
                Long.MAX_VALUE, Long.MAX_VALUE));
        awaitSleepers(2);
        permits.incrementAndGet();
        event.signalOne(); // rings the first, which ignores it and times out
        assertEquals(false, first.get(30, TimeUnit.SECONDS));
        assertEquals(true, second.get(30, TimeUnit.SECONDS), "the wake-up was passed on");
    }

    private interface Wait {
        boolean run() throws Exception;
    }

    private static void start(String name, CompletableFuture<Boolean> result, Wait wait) {
        Thread t = new Thread(() -> {
            try {
                result.complete(wait.run());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    private void awaitSleepers(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (WaiterSlots.count(memory.getIntVolatile(EVENT + WaiterSlots.SLEEPERS)) < n) {
            assertTrue(System.nanoTime() < deadline, "sleepers never reached " + n);
            Thread.sleep(5);
        }
        Thread.sleep(100); // into the kernel wait
    }
}
