package io.mmipc.value;

import io.mmipc.sync.SharedBarrier;
import io.mmipc.sync.SharedCondition;
import io.mmipc.sync.SharedEvent;
import io.mmipc.sync.SharedLock;
import io.mmipc.sync.SharedSemaphore;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Every call on a closed handle of a value, array or sync object throws the one closed error (issue 15),
 * also when the close races with calls in flight (which then finish before the memory is released).
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ClosedHandleTest {
    private Path dir;
    /** Own threads for blocking calls: the common pool may have a single worker (2 cores). */
    private ExecutorService threads;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("closed");
        threads = Executors.newCachedThreadPool();
    }

    @AfterEach
    void tearDown() throws Exception {
        threads.shutdownNow();
        TestDirs.delete(dir);
    }

    private static void assertClosed(String label, Executable call) {
        IllegalStateException e = assertThrows(IllegalStateException.class, call);
        assertEquals(label + " is closed", e.getMessage());
    }

    @Test
    void everyCallOnAClosedHandleThrowsTheClosedError() throws Exception {
        SharedLong v = SharedLong.builder("v").directory(dir).create();
        SharedIntArray a = SharedIntArray.builder("a").directory(dir).length(4).create();
        SharedLock l = SharedLock.builder("l").directory(dir).create();
        SharedSemaphore s = SharedSemaphore.builder("s").directory(dir).value(1).create();
        SharedEvent e = SharedEvent.builder("e").directory(dir).create();
        SharedBarrier b = SharedBarrier.builder("b").directory(dir).parties(2).create();
        for (AutoCloseable c : new AutoCloseable[] {v, a, l, s, e, b}) {
            c.close();
        }
        assertClosed("value 'v'", v::get);
        assertClosed("value 'v'", () -> v.set(1));
        assertClosed("value 'v'", v::incrementAndGet);
        assertClosed("value 'v'", () -> v.compareAndSet(0, 1));
        assertClosed("array 'a'", () -> a.get(0));
        assertClosed("array 'a'", a::toArray);
        assertClosed("array 'a'", () -> a.copyFrom(new int[] {1}, 0, 0, 1));
        assertClosed("lock 'l'", l::tryAcquire);
        assertClosed("lock 'l'", l::isLocked);
        assertClosed("lock 'l'", l::lock);
        assertClosed("semaphore 's'", s::availablePermits);
        assertClosed("semaphore 's'", s::release);
        assertClosed("event 'e'", e::isSet);
        assertClosed("event 'e'", e::set);
        assertClosed("event 'e'", e::await);
        assertClosed("barrier 'b'", b::numberWaiting);
        assertClosed("barrier 'b'", b::reset);
    }

    /**
     * A wait of this process on an event, a semaphore, a lock or a barrier ends with the closed error when its handle is closed
     * (before: it kept waiting, and on JDK 22+ failed later with "mapped memory is closed").
     */
    @Test
    void closingAHandleEndsItsBlockedWaitsWithTheClosedError() throws Exception {
        SharedEvent e = SharedEvent.builder("e").directory(dir).create();
        SharedSemaphore s = SharedSemaphore.builder("s").directory(dir).value(0).create();
        CompletableFuture<Throwable> event = CompletableFuture.supplyAsync(() -> failure(e::await), threads);
        CompletableFuture<Throwable> permit = CompletableFuture.supplyAsync(() -> failure(s::acquire), threads);
        SharedLock l = SharedLock.builder("l").directory(dir).create();
        SharedLock holder = SharedLock.builder("l").directory(dir).open();
        java.util.concurrent.CountDownLatch locked = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        threads.execute(() -> {
            holder.lock(); // another thread holds it (and keeps its thread), so l.lock() waits
            locked.countDown();
            try {
                done.await();
            } catch (InterruptedException ignored) {
                // test over
            }
        });
        locked.await(60, TimeUnit.SECONDS);
        CompletableFuture<Throwable> lock = CompletableFuture.supplyAsync(() -> failure(l::lock), threads);
        Thread.sleep(300);
        e.close();
        s.close();
        l.close();
        Throwable tl = lock.get(60, TimeUnit.SECONDS);
        done.countDown();
        SharedLong v = SharedLong.builder("v").directory(dir).create();
        SharedLong otherV = SharedLong.builder("v").directory(dir).open();
        java.util.concurrent.CountDownLatch vlocked = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch vdone = new java.util.concurrent.CountDownLatch(1);
        threads.execute(() -> {
            otherV.getLock().lock();
            vlocked.countDown();
            try {
                vdone.await();
            } catch (InterruptedException ignored) {
                // test over
            }
        });
        vlocked.await(60, TimeUnit.SECONDS);
        CompletableFuture<Throwable> valueLock = CompletableFuture.supplyAsync(() -> failure(v.getLock()::lock),
                threads);
        Thread.sleep(200);
        v.close();
        Throwable tv = valueLock.get(60, TimeUnit.SECONDS);
        vdone.countDown();
        assertEquals("value 'v' is closed", tv.getMessage(), String.valueOf(tv));
        SharedBarrier b = SharedBarrier.builder("b").directory(dir).parties(2).create();
        SharedBarrier otherB = SharedBarrier.builder("b").directory(dir).open();
        CompletableFuture<Throwable> party = CompletableFuture.supplyAsync(() -> failure(b::await), threads);
        while (otherB.numberWaiting() == 0) {
            Thread.sleep(10);
        }
        b.close();
        Throwable tb = party.get(60, TimeUnit.SECONDS);
        assertEquals("barrier 'b' is closed", tb.getMessage(), String.valueOf(tb));
        assertEquals(true, otherB.isBroken(), "the party that left broke the round");
        otherB.close();
        assertEquals("lock 'l' is closed", tl.getMessage(), String.valueOf(tl));
        Throwable te = event.get(60, TimeUnit.SECONDS);
        Throwable ts = permit.get(60, TimeUnit.SECONDS);
        assertEquals("event 'e' is closed", te.getMessage(), String.valueOf(te));
        assertEquals("semaphore 's' is closed", ts.getMessage(), String.valueOf(ts));
        try (SharedEvent other = SharedEvent.builder("e").directory(dir).open()) {
            other.set();
            assertEquals(true, other.await(java.time.Duration.ofSeconds(1)), "the object itself is fine");
        }
    }

    /**
     * A condition's await ends with the closed error when its handle is closed, without taking the lock again
     * (before: it slept on, then touched the released mapping). Another handle then takes the lock at once and
     * its own waiters still get signals.
     */
    @Test
    void closingAConditionEndsItsAwaitWithoutRetakingTheLock() throws Exception {
        SharedCondition c = SharedCondition.builder("c").directory(dir).create();
        SharedCondition other = SharedCondition.builder("c").directory(dir).open();
        CompletableFuture<Throwable> waiter = CompletableFuture.supplyAsync(() -> failure(() -> {
            c.getLock().lock();
            c.await();
        }), threads);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (other.waiters() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(1, other.waiters());
        c.close();
        Throwable t = waiter.get(60, TimeUnit.SECONDS);
        assertEquals("condition 'c' is closed", String.valueOf(t.getMessage()), String.valueOf(t));
        assertEquals(0, other.waiters(), "the closed waiter left the counts");
        assertEquals(true, other.getLock().tryLock(5, TimeUnit.SECONDS), "the lock was not taken again");
        other.getLock().unlock();
        CompletableFuture<Throwable> second = CompletableFuture.supplyAsync(() -> failure(() -> {
            other.getLock().lock();
            try {
                if (!other.await(java.time.Duration.ofSeconds(60))) {
                    throw new AssertionError("not signalled");
                }
            } finally {
                other.getLock().unlock();
            }
        }), threads);
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (other.waiters() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        other.getLock().lock();
        other.signal();
        other.getLock().unlock();
        assertEquals(null, second.get(60, TimeUnit.SECONDS));
        other.close();
    }

    private static Throwable failure(Executable call) {
        try {
            call.execute();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    /** JDK 22+: before, a call racing with close could touch the unmapped memory ("mapped memory is closed"). */
    @Test
    void aCloseRacingWithCallsGivesThemTheClosedErrorOnly() throws Exception {
        for (int round = 0; round < 200; round++) {
            SharedLong v = SharedLong.builder("r" + round).directory(dir).create();
            CompletableFuture<Throwable> failure = CompletableFuture.supplyAsync(() -> {
                try {
                    while (true) {
                        v.incrementAndGet();
                    }
                } catch (Throwable t) {
                    return t;
                }
            }, threads);
            while (v.get() < 100) {
                Thread.onSpinWait();
            }
            v.close();
            Throwable t = failure.get(60, TimeUnit.SECONDS);
            assertEquals(IllegalStateException.class, t.getClass(), String.valueOf(t));
            assertEquals("value 'r" + round + "' is closed", t.getMessage());
        }
    }
}
