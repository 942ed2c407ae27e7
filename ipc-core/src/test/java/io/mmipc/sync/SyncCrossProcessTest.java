package io.mmipc.sync;

import io.mmipc.testing.ChildJvm;
import io.mmipc.testing.TestDirs;
import io.mmipc.value.SharedIntArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Semaphores, events, conditions, barriers and rlocks between processes (child JVMs), including processes
 * killed with SIGKILL while holding a permit or while being a barrier party.
 */
@Timeout(120)
class SyncCrossProcessTest {
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("syncx");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestDirs.delete(dir);
    }

    /** Children: each runs one named scenario against objects created by the test. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            Path dir = Path.of(args[0]);
            switch (args[1]) {
                case "semaphore-worker":
                    semaphoreWorker(dir, Integer.parseInt(args[2]));
                    break;
                case "semaphore-holder":
                    try (SharedSemaphore s = SharedSemaphore.builder("s").directory(dir).open()) {
                        s.acquire();
                        System.out.println("held");
                        Thread.sleep(600_000);
                    }
                    break;
                case "event-waiter":
                    try (SharedEvent e = SharedEvent.builder("e").directory(dir).open();
                         SharedEvent reply = SharedEvent.builder("reply").directory(dir).open()) {
                        System.out.println("waiting");
                        boolean set = e.await(Duration.ofSeconds(60));
                        reply.set();
                        System.out.println("woke " + set);
                    }
                    break;
                case "condition-waiter":
                    try (SharedCondition c = SharedCondition.builder("c").directory(dir).open();
                         LockHold h = c.hold()) {
                        System.out.println("woke " + c.await(Duration.ofSeconds(60)));
                    }
                    break;
                case "condition-opener":
                    try (SharedCondition c = SharedCondition.builder("c").directory(dir).open()) {
                        System.out.println("opened");
                    }
                    break;
                case "barrier-party":
                    barrierParty(dir, Integer.parseInt(args[2]));
                    break;
                case "barrier-idler":
                    SharedBarrier.builder("b").directory(dir).open();
                    System.out.println("opened");
                    Thread.sleep(600_000);
                    break;
                case "rlock-stepper":
                    rlockStepper(dir);
                    break;
                default:
                    throw new IllegalArgumentException(args[1]);
            }
        }

        private static void semaphoreWorker(Path dir, int iterations) throws Exception {
            try (SharedSemaphore s = SharedSemaphore.builder("s").directory(dir).open();
                 SharedIntArray stats = SharedIntArray.builder("stats").directory(dir).open();
                 SharedEvent go = SharedEvent.builder("go").directory(dir).open()) {
                System.out.println("ready");
                go.await(Duration.ofSeconds(60));
                for (int i = 0; i < iterations; i++) {
                    try (LockHold h = s.hold()) {
                        int inside = stats.incrementAndGet(0);
                        stats.updateAndGet(1, max -> Math.max(max, inside));
                        Thread.yield();
                        stats.decrementAndGet(0);
                    }
                }
            }
            System.out.println("done");
        }

        private static void barrierParty(Path dir, int rounds) throws Exception {
            try (SharedBarrier b = SharedBarrier.builder("b").directory(dir).open()) {
                System.out.println("opened");
                for (int i = 0; i < rounds; i++) {
                    try {
                        b.await(Duration.ofSeconds(60));
                    } catch (BrokenBarrierException e) {
                        System.out.println("broken");
                        return;
                    }
                }
                System.out.println("passed " + rounds);
            }
        }

        private static void rlockStepper(Path dir) throws Exception {
            try (SharedRLock lock = SharedRLock.builder("r").directory(dir).open();
                 SharedEvent step = SharedEvent.builder("step").directory(dir).open()) {
                lock.lock();
                lock.lock();
                System.out.println("locked twice");
                for (int i = 1; i <= 2; i++) {
                    step.await(Duration.ofSeconds(60));
                    step.clear();
                    lock.unlock();
                    System.out.println("unlocked " + i + ", holds=" + lock.getHoldCount());
                }
            }
        }
    }

    private ChildJvm child(String... args) throws Exception {
        String[] all = new String[args.length + 1];
        all[0] = dir.toString();
        System.arraycopy(args, 0, all, 1, args.length);
        return ChildJvm.start(Child.class, all);
    }

    @Test
    void semaphoreBoundsConcurrencyAcrossProcesses() throws Exception {
        int processes = 4;
        int iterations = 300;
        try (SharedSemaphore s = SharedSemaphore.builder("s").directory(dir).value(2).create();
             SharedIntArray stats = SharedIntArray.builder("stats").directory(dir).length(2).lock(false).create();
             SharedEvent go = SharedEvent.builder("go").directory(dir).create()) {
            List<ChildJvm> children = new ArrayList<>();
            try {
                for (int i = 0; i < processes; i++) {
                    children.add(child("semaphore-worker", String.valueOf(iterations)));
                }
                for (ChildJvm c : children) {
                    c.expect("ready", STARTUP);
                }
                go.set();
                for (ChildJvm c : children) {
                    assertEquals(0, c.waitFor(Duration.ofSeconds(90)), "output: " + c.output());
                }
            } finally {
                children.forEach(ChildJvm::close);
            }
            assertTrue(stats.get(1) <= 2, "at most 2 holders at once: max=" + stats.get(1));
            assertEquals(0, stats.get(0));
            assertEquals(2, s.availablePermits());
        }
    }

    @Test
    void permitOfAKilledHolderIsReturned() throws Exception {
        try (SharedSemaphore s = SharedSemaphore.builder("s").directory(dir).value(1).create();
             ChildJvm holder = child("semaphore-holder")) {
            holder.expect("held", STARTUP);
            assertFalse(s.tryAcquire(Duration.ofMillis(100)), "held by a live process");
            holder.kill();
            assertTrue(s.tryAcquire(Duration.ofSeconds(10)), "the dead holder's permit came back");
            assertEquals(1, s.permitsReturned());
            s.release();
        }
    }

    @Test
    void eventSetWakesAWaiterInAnotherProcess() throws Exception {
        try (SharedEvent e = SharedEvent.builder("e").directory(dir).create();
             SharedEvent reply = SharedEvent.builder("reply").directory(dir).create();
             ChildJvm waiter = child("event-waiter")) {
            waiter.expect("waiting", STARTUP);
            assertFalse(reply.await(Duration.ofMillis(100)), "the child is still waiting");
            e.set();
            assertTrue(reply.await(Duration.ofSeconds(10)), "the child saw the event and set the reply");
            waiter.expect("woke true", Duration.ofSeconds(10));
        }
    }

    private static void awaitWaiters(SharedCondition c, int n) throws InterruptedException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (true) {
            try (LockHold h = c.hold()) {
                if (c.waiters() == n) {
                    return;
                }
            }
            assertTrue(System.nanoTime() < deadline, "waiters never reached " + n);
            Thread.sleep(10);
        }
    }

    @Test
    void conditionSignalReachesWaitersInOtherProcesses() throws Exception {
        try (SharedCondition c = SharedCondition.builder("c").directory(dir).create();
             ChildJvm a = child("condition-waiter");
             ChildJvm b = child("condition-waiter")) {
            awaitWaiters(c, 2);
            try (LockHold h = c.hold()) {
                c.signal();
            }
            String first = firstLine(a, b);
            assertEquals("woke true", first);
            awaitWaiters(c, 1);
            assertTrue(a.output().isEmpty() || b.output().isEmpty(), "exactly one woke for signal()");
            try (LockHold h = c.hold()) {
                c.signalAll();
            }
            assertEquals(0, a.waitFor(Duration.ofSeconds(10)));
            assertEquals(0, b.waitFor(Duration.ofSeconds(10)));
            assertEquals(List.of("woke true"), a.output());
            assertEquals(List.of("woke true"), b.output());
        }
    }

    @Test
    void aKilledWaiterIsForgottenWhenItsDeathIsNoticed() throws Exception {
        try (SharedCondition c = SharedCondition.builder("c").directory(dir).create()) {
            try (ChildJvm waiter = child("condition-waiter")) {
                awaitWaiters(c, 1);
                waiter.kill();
            }
            assertEquals(1, c.waiters(), "nobody has noticed the death yet");
            try (ChildJvm opener = child("condition-opener")) {
                opener.expect("opened", STARTUP);
            }
            assertEquals(0, c.waiters(), "a process attaching reclaimed the dead entry and its waiter");
        }
    }

    private static String firstLine(ChildJvm a, ChildJvm b) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            for (ChildJvm c : List.of(a, b)) {
                if (!c.output().isEmpty()) {
                    return c.output().get(0);
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("nobody woke");
    }

    @Test
    void barrierReleasesPartiesInThreeProcessesRoundAfterRound() throws Exception {
        int rounds = 20;
        try (SharedBarrier b = SharedBarrier.builder("b").directory(dir).parties(3).create();
             ChildJvm x = child("barrier-party", String.valueOf(rounds));
             ChildJvm y = child("barrier-party", String.valueOf(rounds))) {
            for (int i = 0; i < rounds; i++) {
                b.await(Duration.ofSeconds(60));
            }
            x.expect("passed " + rounds, Duration.ofSeconds(30));
            y.expect("passed " + rounds, Duration.ofSeconds(30));
            assertFalse(b.isBroken());
        }
    }

    @Test
    void barrierWithAKilledPartyBreaksInsteadOfHanging() throws Exception {
        try (SharedBarrier b = SharedBarrier.builder("b").directory(dir).parties(3).create();
             ChildJvm waiter = child("barrier-party", "1");
             ChildJvm doomed = child("barrier-idler")) {
            waiter.expect("opened", STARTUP);
            doomed.expect("opened", STARTUP);
            CompletableFuture<Integer> me = CompletableFuture.supplyAsync(() -> {
                try {
                    return b.await(Duration.ofSeconds(60));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            while (b.numberWaiting() < 2) {
                Thread.sleep(10);
            }
            doomed.kill();
            ExecutionException e = assertThrows(ExecutionException.class, () -> me.get(10, TimeUnit.SECONDS));
            assertInstanceOf(BrokenBarrierException.class, e.getCause().getCause());
            waiter.expect("broken", Duration.ofSeconds(10));
            assertTrue(b.isBroken());
            b.reset();
            assertFalse(b.isBroken());
        }
    }

    @Test
    void rlockIsReleasedOnlyWhenItsOwnerUnlockedAsOftenAsItLocked() throws Exception {
        try (SharedRLock lock = SharedRLock.builder("r").directory(dir).create();
             SharedEvent step = SharedEvent.builder("step").directory(dir).create();
             ChildJvm owner = child("rlock-stepper")) {
            owner.expect("locked twice", STARTUP);
            assertFalse(lock.tryLock());
            assertThrows(IllegalMonitorStateException.class, lock::unlock, "another process owns it");
            step.set();
            owner.expect("unlocked 1, holds=1", Duration.ofSeconds(10));
            assertFalse(lock.tryLock(50, TimeUnit.MILLISECONDS), "still held once");
            step.set();
            owner.expect("unlocked 2, holds=0", Duration.ofSeconds(10));
            assertTrue(lock.tryLock(10, TimeUnit.SECONDS));
            assertFalse(lock.acquiredFromDeadOwner());
            lock.unlock();
        }
    }
}
