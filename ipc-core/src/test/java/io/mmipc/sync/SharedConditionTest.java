package io.mmipc.sync;

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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class SharedConditionTest {
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("cond");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestDirs.delete(dir);
    }

    private static CompletableFuture<Boolean> waiter(SharedCondition c, AtomicInteger woken, Duration timeout) {
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        new Thread(() -> {
            try (LockHold h = c.hold()) {
                boolean signalled = c.await(timeout);
                if (!c.getLock().isHeldByCurrentThread()) {
                    throw new AssertionError("lock not held after await");
                }
                woken.incrementAndGet();
                f.complete(signalled);
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }).start();
        return f;
    }

    private static void awaitWaiters(SharedCondition c, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (LockHold h = c.hold()) {
                if (c.waiters() == n) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waiters never reached " + n);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void signalWakesExactlyTheRequestedNumber() throws Exception {
        try (SharedCondition c = SharedCondition.builder("c").directory(dir).create()) {
            AtomicInteger woken = new AtomicInteger();
            List<CompletableFuture<Boolean>> waiters = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                waiters.add(waiter(c, woken, Duration.ofSeconds(30)));
            }
            awaitWaiters(c, 3);
            try (LockHold h = c.hold()) {
                c.signal();
            }
            Thread.sleep(100);
            assertEquals(1, woken.get());
            try (LockHold h = c.hold()) {
                c.signal(5);
            }
            for (CompletableFuture<Boolean> w : waiters) {
                assertTrue(w.get(10, TimeUnit.SECONDS));
            }
            assertEquals(3, woken.get());
            assertEquals(0, c.waiters());
        }
    }

    @Test
    void signalAllWakesEveryoneAndLateWaitersDoNotStealSignals() throws Exception {
        try (SharedCondition c = SharedCondition.builder("a").directory(dir).create()) {
            try (LockHold h = c.hold()) {
                c.signalAll();
                assertFalse(c.await(Duration.ofMillis(20)), "a signal with nobody waiting is not kept");
            }
            AtomicInteger woken = new AtomicInteger();
            CompletableFuture<Boolean> a = waiter(c, woken, Duration.ofSeconds(30));
            CompletableFuture<Boolean> b = waiter(c, woken, Duration.ofSeconds(30));
            awaitWaiters(c, 2);
            try (LockHold h = c.hold()) {
                c.signalAll();
                // this thread starts waiting after the signal: it must not take one of the two
                assertFalse(c.await(Duration.ofMillis(50)));
            }
            assertTrue(a.get(10, TimeUnit.SECONDS));
            assertTrue(b.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void timedOutWaiterDoesNotSwallowALaterSignal() throws Exception {
        try (SharedCondition c = SharedCondition.builder("t").directory(dir).create()) {
            AtomicInteger woken = new AtomicInteger();
            CompletableFuture<Boolean> quick = waiter(c, woken, Duration.ofMillis(30));
            CompletableFuture<Boolean> slow = waiter(c, woken, Duration.ofSeconds(30));
            assertFalse(quick.get(10, TimeUnit.SECONDS));
            awaitWaiters(c, 1);
            try (LockHold h = c.hold()) {
                c.signal();
            }
            assertTrue(slow.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void awaitRestoresTheHoldCountAndNeedsTheLock() throws Exception {
        try (SharedCondition c = SharedCondition.builder("h").directory(dir).create()) {
            assertThrows(IllegalMonitorStateException.class, c::await);
            assertThrows(IllegalMonitorStateException.class, c::signal);
            SharedRLock lock = c.getLock();
            lock.lock();
            lock.lock();
            assertFalse(c.await(Duration.ofMillis(10)));
            assertEquals(2, lock.getHoldCount());
            lock.unlock();
            lock.unlock();
        }
    }

    @Test
    void waitForChecksThePredicate() throws Exception {
        try (SharedCondition c = SharedCondition.builder("p").directory(dir).create()) {
            AtomicBoolean ready = new AtomicBoolean();
            CompletableFuture<Boolean> f = CompletableFuture.supplyAsync(() -> {
                try (LockHold h = c.hold()) {
                    return c.waitFor(ready::get, Duration.ofSeconds(30));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            awaitWaiters(c, 1);
            try (LockHold h = c.hold()) {
                c.signalAll();
            }
            awaitWaiters(c, 1);
            try (LockHold h = c.hold()) {
                ready.set(true);
                c.signalAll();
            }
            assertTrue(f.get(10, TimeUnit.SECONDS));
            try (LockHold h = c.hold()) {
                assertFalse(c.waitFor(() -> false, Duration.ofMillis(20)));
            }
        }
    }

    @Test
    void interruptedWaiterThrowsWithTheLockHeld() throws Exception {
        try (SharedCondition c = SharedCondition.builder("i").directory(dir).create()) {
            CompletableFuture<String> f = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try (LockHold h = c.hold()) {
                    try {
                        c.await();
                        f.complete("returned");
                    } catch (InterruptedException e) {
                        f.complete("interrupted, held=" + c.getLock().isHeldByCurrentThread());
                    }
                } catch (Throwable e) {
                    f.completeExceptionally(e);
                }
            });
            t.start();
            awaitWaiters(c, 1);
            t.interrupt();
            assertEquals("interrupted, held=true", f.get(10, TimeUnit.SECONDS));
            assertEquals(0, c.waiters());
        }
    }
}
