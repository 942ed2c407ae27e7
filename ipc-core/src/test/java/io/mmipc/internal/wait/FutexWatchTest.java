package io.mmipc.internal.wait;

import io.mmipc.WaitMode;
import io.mmipc.internal.file.HeaderLayout;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Futex sleeps are long (1 s) so that a blocked call costs no CPU, yet an interrupt ends one promptly: the
 * per-process {@link FutexWatch} wakes an interrupted sleeper. Runs where futex waiting is available (the jar
 * on JDK 22+ with native access).
 */
@Timeout(120)
class FutexWatchTest {
    private static final int EVENT = HeaderLayout.BODY_OFFSET;

    private Path dir;
    private MappedMemory memory;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(Futex.available(), "futex waiting unavailable in this JVM");
        dir = TestDirs.create("futexwatch");
        try (FileChannel ch = FileChannel.open(dir.resolve("f"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            memory = MappedMemory.map(ch, HeaderLayout.BODY_OFFSET + 4096);
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        if (memory != null) {
            memory.close();
            TestDirs.delete(dir);
        }
    }

    @Test
    void interruptEndsAFutexSleepLongBeforeItsChunk() throws Exception {
        assertTrue(EventCount.FUTEX_CHUNK_NANOS >= 1_000_000_000L, "the chunk is meant to be long");
        EventCount event = new EventCount(memory, EVENT, WaitMode.FUTEX);
        long fastest = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            CompletableFuture<Boolean> result = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    result.complete(event.await(() -> false, Long.MAX_VALUE, Long.MAX_VALUE));
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                }
            }, "futex-sleeper-" + round);
            t.start();
            awaitSleeping();
            long t0 = System.nanoTime();
            t.interrupt();
            ExecutionException e = assertThrows(ExecutionException.class, () -> result.get(30, TimeUnit.SECONDS));
            fastest = Math.min(fastest, System.nanoTime() - t0);
            assertInstanceOf(InterruptedException.class, e.getCause());
            t.join(10_000);
            assertEquals(0, WaiterSlots.count(memory.getIntVolatile(EVENT + WaiterSlots.SLEEPERS)));
        }
        // Generous for a loaded machine: the watcher looks every 10 ms; without it, a sleep ends after 1 s.
        assertTrue(fastest < 900_000_000L, "fastest interrupt took " + fastest / 1_000_000 + " ms");
    }

    private void awaitSleeping() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (WaiterSlots.count(memory.getIntVolatile(EVENT + WaiterSlots.SLEEPERS)) == 0) {
            assertTrue(System.nanoTime() < deadline, "the sleeper never slept");
            Thread.sleep(5);
        }
        Thread.sleep(50); // past the re-check, into the futex call
    }
}
