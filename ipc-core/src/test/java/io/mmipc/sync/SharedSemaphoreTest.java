package io.mmipc.sync;

import io.mmipc.ObjectFileException;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class SharedSemaphoreTest {
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("sem");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestDirs.delete(dir);
    }

    @Test
    void countsPermits() throws Exception {
        try (SharedSemaphore s = SharedSemaphore.builder("s").directory(dir).value(2).create()) {
            assertEquals(2, s.availablePermits());
            s.acquire();
            assertTrue(s.tryAcquire());
            assertFalse(s.tryAcquire());
            long t0 = System.nanoTime();
            assertFalse(s.tryAcquire(Duration.ofMillis(40)));
            assertTrue(System.nanoTime() - t0 >= 35_000_000L);
            assertEquals(2, s.permitsHeldByThisProcess());
            s.release(2);
            assertEquals(2, s.availablePermits());
            assertFalse(s.tryAcquire(3));
            assertTrue(s.tryAcquire(2, Duration.ofMillis(10)));
            s.release(5);
            assertEquals(5, s.availablePermits(), "a plain semaphore may go above its initial value");
            assertEquals(-3, s.permitsHeldByThisProcess());
            assertThrows(IllegalArgumentException.class, () -> s.release(-1));
        }
    }

    @Test
    void waiterWakesOnRelease() throws Exception {
        try (SharedSemaphore s = SharedSemaphore.builder("w").directory(dir).value(0).create()) {
            CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
                try {
                    return s.tryAcquire(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(50);
            assertFalse(waiter.isDone());
            s.release();
            assertTrue(waiter.get(10, TimeUnit.SECONDS));
            assertEquals(0, s.availablePermits());
        }
    }

    @Test
    void holdReleasesOnClose() throws Exception {
        try (SharedSemaphore s = SharedSemaphore.builder("h").directory(dir).value(1).create()) {
            try (LockHold h = s.hold()) {
                assertFalse(h.ownerDied());
                assertEquals(0, s.availablePermits());
            }
            assertEquals(1, s.availablePermits());
        }
    }

    @Test
    void neverMoreHoldersThanPermitsUnderThreadContention() throws Exception {
        try (SharedSemaphore s = SharedSemaphore.builder("c").directory(dir).value(3).create()) {
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger max = new AtomicInteger();
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                workers.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < 2000; i++) {
                        try (LockHold h = s.hold()) {
                            max.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            Thread.onSpinWait();
                            inside.decrementAndGet();
                        }
                    }
                }, r -> new Thread(r).start()));
            }
            for (Future<?> w : workers) {
                w.get(60, TimeUnit.SECONDS);
            }
            assertTrue(max.get() <= 3, "max=" + max.get());
            assertEquals(3, s.availablePermits());
            assertEquals(0, s.permitsHeldByThisProcess());
        }
    }

    @Test
    void boundedSemaphoreRefusesTooManyReleases() throws Exception {
        try (SharedBoundedSemaphore b = SharedBoundedSemaphore.builder("b").directory(dir).value(2).create()) {
            assertEquals(2, b.bound());
            b.acquire();
            b.release();
            IllegalStateException e = assertThrows(IllegalStateException.class, b::release);
            assertTrue(e.getMessage().contains("released too many times"), e.getMessage());
            assertEquals(2, b.availablePermits());
            try (SharedSemaphore plain = SharedSemaphore.builder("b").directory(dir).open()) {
                assertThrows(IllegalStateException.class, plain::release, "the bound is in the file");
            }
        }
        try (SharedSemaphore plain = SharedSemaphore.builder("p").directory(dir).value(1).create()) {
            ObjectFileException e = assertThrows(ObjectFileException.class,
                    () -> SharedBoundedSemaphore.builder("p").directory(dir).open());
            assertTrue(e.getMessage().contains("is not bounded"), e.getMessage());
            ObjectFileException m = assertThrows(ObjectFileException.class,
                    () -> SharedSemaphore.builder("p").directory(dir).value(4).open());
            assertTrue(m.getMessage().contains("initial value mismatch: requested=4, file=1"), m.getMessage());
        }
    }

    @Test
    void lastCloseGivesBackHeldPermitsUnlessTurnedOff() throws Exception {
        try (SharedSemaphore keeper = SharedSemaphore.builder("r").directory(dir).value(2).create()) {
            keeper.acquire(2);
            assertEquals(0, keeper.availablePermits());
        }
        try (SharedSemaphore again = SharedSemaphore.builder("r").directory(dir).open()) {
            assertEquals(2, again.availablePermits(), "the last close gave back the 2 held permits");
            assertEquals(2, again.permitsReturned());
        }
        try (SharedSemaphore signals = SharedSemaphore.builder("sig").directory(dir).value(1)
                .reclaimDeadHolders(false).create()) {
            signals.acquire();
        }
        try (SharedSemaphore again = SharedSemaphore.builder("sig").directory(dir).open()) {
            assertEquals(0, again.availablePermits());
        }
    }
}
