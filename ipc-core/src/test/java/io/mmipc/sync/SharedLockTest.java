package io.mmipc.sync;

import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class SharedLockTest {
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("lock");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestDirs.delete(dir);
    }

    private static <T> T inOtherThread(java.util.concurrent.Callable<T> task) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(task.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        t.start();
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception) {
                throw (Exception) e.getCause();
            }
            throw e;
        }
    }

    private static boolean testInOtherThread(java.util.concurrent.Callable<Boolean> task) throws Exception {
        return inOtherThread(task);
    }

    @Test
    void lockExcludesOtherThreadsAndHandles() throws Exception {
        try (SharedLock a = SharedLock.builder("l").directory(dir).create();
             SharedLock b = SharedLock.builder("l").directory(dir).open()) {
            assertEquals(LockOutcome.ACQUIRED, a.acquire());
            assertTrue(a.isLocked());
            assertTrue(a.isHeldByCurrentThread());
            assertTrue(b.isHeldByCurrentThread(), "every handle in the process agrees on the owner");
            assertFalse(testInOtherThread(b::tryLock));
            assertFalse(testInOtherThread(() -> a.tryLock(30, TimeUnit.MILLISECONDS)));
            assertEquals(LockOutcome.TIMED_OUT, inOtherThread(() -> b.acquire(Duration.ofMillis(20))));
            b.unlock();
            assertFalse(a.isLocked());
            assertTrue(testInOtherThread(() -> {
                boolean got = b.tryLock();
                b.unlock();
                return got;
            }));
        }
    }

    @Test
    void waiterGetsTheLockWhenReleased() throws Exception {
        try (SharedLock lock = SharedLock.builder("w").directory(dir).create()) {
            lock.lock();
            CountDownLatch started = new CountDownLatch(1);
            CompletableFuture<LockOutcome> waiter = CompletableFuture.supplyAsync(() -> {
                started.countDown();
                try {
                    LockOutcome o = lock.acquire(Duration.ofSeconds(20));
                    lock.unlock();
                    return o;
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            started.await();
            Thread.sleep(50);
            assertFalse(waiter.isDone());
            lock.unlock();
            assertEquals(LockOutcome.ACQUIRED, waiter.get(20, TimeUnit.SECONDS));
        }
    }

    @Test
    void releasingALockYouDoNotHoldIsAnError() throws Exception {
        try (SharedLock lock = SharedLock.builder("r").directory(dir).create()) {
            IllegalMonitorStateException e = assertThrows(IllegalMonitorStateException.class, lock::unlock);
            assertTrue(e.getMessage().contains("not locked"), e.getMessage());
            lock.lock();
            Exception other = assertThrows(IllegalMonitorStateException.class, () -> inOtherThread(() -> {
                lock.release();
                return null;
            }));
            assertTrue(other.getMessage().contains("another thread of this process"), other.getMessage());
            lock.release();
            assertThrows(IllegalMonitorStateException.class, lock::release);
        }
    }

    @Test
    void nonReentrantLockRefusesItsOwner() throws Exception {
        try (SharedLock lock = SharedLock.builder("n").directory(dir).create()) {
            lock.lock();
            assertFalse(lock.tryLock());
            long t0 = System.nanoTime();
            assertFalse(lock.tryLock(40, TimeUnit.MILLISECONDS));
            assertTrue(System.nanoTime() - t0 >= 35_000_000L);
            IllegalStateException e = assertThrows(IllegalStateException.class, lock::lock);
            assertTrue(e.getMessage().contains("deadlock"), e.getMessage());
            lock.unlock();
        }
    }

    @Test
    void interruptsAreHonouredByInterruptibleAcquires() throws Exception {
        try (SharedLock lock = SharedLock.builder("i").directory(dir).create()) {
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, lock::lockInterruptibly);
            assertFalse(lock.isLocked(), "interrupted on entry: not acquired");
            lock.lock();
            AtomicReference<Throwable> seen = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    lock.lockInterruptibly();
                } catch (Throwable e) {
                    seen.set(e);
                }
            });
            t.start();
            Thread.sleep(50);
            t.interrupt();
            t.join(10_000);
            assertInstanceOf(InterruptedException.class, seen.get());
            // lock() ignores the interrupt but keeps the flag set
            Thread u = new Thread(() -> {
                Thread.currentThread().interrupt();
                lock.lock();
                seen.set(Thread.currentThread().isInterrupted() ? null : new AssertionError("flag lost"));
                lock.unlock();
            });
            u.start();
            Thread.sleep(50);
            lock.unlock();
            u.join(10_000);
            assertEquals(null, seen.get());
        }
    }

    @Test
    void holdWorksWithTryWithResources() throws Exception {
        try (SharedLock lock = SharedLock.builder("h").directory(dir).create()) {
            try (LockHold held = lock.hold()) {
                assertFalse(held.ownerDied());
                assertTrue(lock.isHeldByCurrentThread());
            }
            assertFalse(lock.isLocked());
            assertThrows(UnsupportedOperationException.class, lock::newCondition);
        }
    }

    @Test
    void rlockIsReentrantPerThread() throws Exception {
        try (SharedRLock lock = SharedRLock.builder("rl").directory(dir).create();
             SharedRLock other = SharedRLock.builder("rl").directory(dir).open()) {
            lock.lock();
            assertEquals(LockOutcome.ACQUIRED, lock.acquire());
            assertTrue(other.tryLock(), "reentrant through another handle too");
            assertEquals(3, lock.getHoldCount());
            assertFalse(testInOtherThread(other::tryLock));
            assertEquals(0, inOtherThread(lock::getHoldCount));
            lock.unlock();
            other.unlock();
            assertEquals(1, other.getHoldCount());
            assertFalse(testInOtherThread(other::tryLock));
            lock.unlock();
            assertEquals(0, lock.getHoldCount());
            assertThrows(IllegalMonitorStateException.class, lock::unlock);
            assertTrue(testInOtherThread(() -> {
                boolean got = other.tryLock();
                other.unlock();
                return got;
            }));
        }
    }

    @Test
    void namingErrorsAreClear() throws Exception {
        try (SharedLock lock = SharedLock.builder("dup").directory(dir).create()) {
            assertThrows(FileAlreadyExistsException.class, () -> SharedLock.builder("dup").directory(dir).create());
            io.mmipc.ObjectFileException e = assertThrows(io.mmipc.ObjectFileException.class,
                    () -> SharedRLock.builder("dup").directory(dir).open());
            assertTrue(e.getMessage().contains("expected rlock, found lock"), e.getMessage());
        }
        NoSuchFileException missing = assertThrows(NoSuchFileException.class,
                () -> SharedLock.builder("none").directory(dir).open());
        assertTrue(missing.getMessage().contains("lock 'none' does not exist"), missing.getMessage());
        try (SharedLock a = SharedLock.builder("oc").directory(dir).openOrCreate();
             SharedLock b = SharedLock.builder("oc").directory(dir).openOrCreate()) {
            a.lock();
            assertTrue(b.isLocked());
            a.unlock();
        }
        SharedLock closed = SharedLock.builder("c").directory(dir).create();
        closed.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, closed::lock);
        assertTrue(e.getMessage().contains("lock 'c' is closed"), e.getMessage());
    }
}
