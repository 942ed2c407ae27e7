package io.mmipc.sync;

import io.mmipc.testing.ChildJvm;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Locks between processes: exclusion, and a lock owner killed with SIGKILL while holding the lock. */
@Timeout(90)
class SharedLockCrossProcessTest {
    private static final Duration STARTUP = Duration.ofSeconds(30);
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("lockx");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestDirs.delete(dir);
    }

    /** Child: takes the lock (rlock twice if asked), says so, then holds it until killed. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            Path dir = Path.of(args[0]);
            boolean reentrant = args[1].equals("rlock");
            LockHandle lock = reentrant ? SharedRLock.builder("l").directory(dir).open()
                    : SharedLock.builder("l").directory(dir).open();
            lock.lock();
            if (reentrant) {
                lock.lock();
            }
            System.out.println("locked");
            Thread.sleep(600_000);
        }
    }

    @Test
    void lockOfAKilledOwnerIsTakenOverAndReported() throws Exception {
        try (SharedLock lock = SharedLock.builder("l").directory(dir).create();
             ChildJvm child = ChildJvm.start(Holder.class, dir.toString(), "lock")) {
            child.expect("locked", STARTUP);
            assertTrue(lock.isLocked());
            assertEquals(child.pid(), lock.ownerPid());
            assertEquals(LockOutcome.TIMED_OUT, lock.tryAcquire());
            assertEquals(LockOutcome.TIMED_OUT, lock.acquire(Duration.ofMillis(50)));
            child.kill();
            assertEquals(LockOutcome.ACQUIRED_OWNER_DIED, lock.acquire(Duration.ofSeconds(10)));
            assertTrue(lock.acquiredFromDeadOwner());
            assertEquals(1, lock.takeovers());
            lock.unlock();
            assertFalse(lock.isLocked());
            assertEquals(LockOutcome.ACQUIRED, lock.acquire(Duration.ofSeconds(1)), "a normal acquire again");
            assertFalse(lock.acquiredFromDeadOwner());
            lock.unlock();
        }
    }

    @Test
    void waiterBlockedOnAKilledOwnerWakesWithTheLock() throws Exception {
        try (SharedRLock lock = SharedRLock.builder("l").directory(dir).create();
             ChildJvm child = ChildJvm.start(Holder.class, dir.toString(), "rlock")) {
            child.expect("locked", STARTUP);
            CompletableFuture<String> waiter = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try (LockHold held = lock.hold()) {
                    waiter.complete(held.ownerDied() + " holds=" + lock.getHoldCount());
                } catch (Throwable e) {
                    waiter.completeExceptionally(e);
                }
            });
            t.start();
            Thread.sleep(100);
            assertFalse(waiter.isDone(), "blocked while the owner lives");
            child.kill();
            assertEquals("true holds=1", waiter.get(10, TimeUnit.SECONDS),
                    "taken over with a fresh hold count, and told the owner died");
            t.join(5000);
            assertFalse(lock.isLocked());
        }
    }
}
