package io.mmipc.internal.proc;

import io.mmipc.internal.file.Directories;
import io.mmipc.sync.LockOutcome;
import io.mmipc.sync.SharedLock;
import io.mmipc.testing.ChildJvm;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.FileInputStream;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Liveness by node-file locks (issue 15): a live process is never taken for dead — not when the checker has
 * no file descriptor left, not from another PID namespace, not by another copy of the library in its JVM —
 * and a dead one is dead even when its PID now belongs to someone else.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LivenessTest {
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("live");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestDirs.delete(dir);
    }

    /** Child: opens (or creates) lock {@code args[1]} in {@code args[0]}, takes it, prints its token, holds it. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            SharedLock lock = SharedLock.builder(args[1]).directory(Path.of(args[0])).openOrCreate();
            lock.lock();
            System.out.println("token=" + ProcessIdentity.toHex(ProcessIdentity.self()));
            System.out.println("locked");
            Thread.sleep(600_000);
        }
    }

    /**
     * Child: opens lock {@code args[1]} in {@code args[0]}, then (if {@code args[2]} is "fill") opens files
     * until it has no descriptor left, tries the lock once and prints the outcome.
     */
    public static final class Checker {
        public static void main(String[] args) throws Exception {
            SharedLock lock = SharedLock.builder(args[1]).directory(Path.of(args[0])).open();
            List<FileInputStream> hog = new ArrayList<>();
            boolean full = false;
            // Once first, so every class the attempt needs is loaded while files can still be opened.
            System.out.println("warm-up outcome=" + lock.tryAcquire());
            Thread.sleep(1000); // lets background start-up threads open what they need
            if (args[2].equals("fill")) {
                try {
                    while (hog.size() < 100_000) {
                        hog.add(new FileInputStream("/dev/null"));
                    }
                } catch (IOException emfile) {
                    full = true;
                }
            }
            Thread.sleep(20); // past the lock's 1 ms throttle between liveness checks
            LockOutcome outcome = lock.tryAcquire();
            for (FileInputStream in : hog) {
                in.close();
            }
            System.out.println("fdsFull=" + full + " outcome=" + outcome);
            System.out.flush();
        }
    }

    private static long token(ChildJvm child) throws InterruptedException {
        String line = child.readLine(STARTUP);
        assertTrue(line.startsWith("token="), line);
        return ProcessIdentity.fromHex(line.substring("token=".length()));
    }

    private static boolean unshareWorks() {
        try {
            Process p = new ProcessBuilder("unshare", "--pid", "--fork", "--kill-child", "true")
                    .redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void aLiveHolderIsAliveAndAKilledOneIsDead() throws Exception {
        try (SharedLock lock = SharedLock.builder("l").directory(dir).create();
             ChildJvm child = ChildJvm.start(Holder.class, dir.toString(), "l")) {
            long token = token(child);
            child.expect("locked", STARTUP);
            assertEquals(child.pid(), ProcessIdentity.pid(token));
            assertTrue(ProcessIdentity.isAlive(token));
            assertTrue(ProcessIdentity.isAlive(token, Directories.nodesDirectory(dir)));
            assertEquals(LockOutcome.TIMED_OUT, lock.tryAcquire(), "a live holder's lock is not taken over");
            child.kill();
            assertFalse(ProcessIdentity.isAlive(token));
            assertEquals(LockOutcome.ACQUIRED_OWNER_DIED, lock.acquire(Duration.ofSeconds(30)));
            lock.unlock();
            assertEquals(1, ProcessIdentity.removeDeadNodes(Directories.nodesDirectory(dir)),
                    "the dead child's node file is cleaned, ours is kept");
            assertFalse(ProcessIdentity.isAlive(token), "absent means dead");
            assertTrue(ProcessIdentity.isAlive(ProcessIdentity.self()));
        }
    }

    /** Before: the checker could not read /proc at its fd limit, called the holder dead and took its lock. */
    @Test
    void aCheckerWithNoDescriptorLeftTakesTheHolderForAlive() throws Exception {
        try (SharedLock lock = SharedLock.builder("l").directory(dir).create()) {
            lock.lock();
            try (ChildJvm checker = ChildJvm.launcher(Checker.class).fdLimit(2048)
                    .args(dir.toString(), "l", "fill").start()) {
                assertEquals("warm-up outcome=TIMED_OUT", checker.readLine(STARTUP));
                assertEquals("fdsFull=true outcome=TIMED_OUT", checker.readLine(STARTUP));
                assertEquals(0, checker.waitFor(STARTUP));
            }
            assertTrue(lock.isHeldByCurrentThread());
            lock.unlock();
        }
    }

    @Test
    void aHolderInAnotherPidNamespaceIsAliveUntilKilled() throws Exception {
        assumeTrue(unshareWorks(), "needs unshare --pid --fork (root)");
        try (SharedLock lock = SharedLock.builder("l").directory(dir).create();
             ChildJvm child = ChildJvm.launcher(Holder.class).wrapper("unshare", "--pid", "--fork", "--kill-child")
                     .args(dir.toString(), "l").start()) {
            long token = token(child);
            child.expect("locked", STARTUP);
            assertNotEquals(child.pid(), ProcessIdentity.pid(token), "the PID in the token is the namespace's");
            assertEquals(LockOutcome.TIMED_OUT, lock.acquire(Duration.ofMillis(200)));
            try (ChildJvm checker = ChildJvm.start(Checker.class, dir.toString(), "l", "nofill")) {
                checker.expect("fdsFull=false outcome=TIMED_OUT", STARTUP);
            }
            child.kill();
            assertEquals(LockOutcome.ACQUIRED_OWNER_DIED, lock.acquire(Duration.ofSeconds(30)));
            lock.unlock();
        }
    }

    /**
     * Real PID reuse: two children in two new PID namespaces both run as PID 1. Before: both got the same
     * token (PID 1 with the start time of the host's PID 1), so the dead one's lock was held forever.
     */
    @Test
    void aDeadHolderWhosePidIsReusedIsDead() throws Exception {
        assumeTrue(unshareWorks(), "needs unshare --pid --fork (root)");
        try (SharedLock lock = SharedLock.builder("l").directory(dir).create()) {
            long first;
            try (ChildJvm a = ChildJvm.launcher(Holder.class).wrapper("unshare", "--pid", "--fork", "--kill-child")
                    .args(dir.toString(), "l").start()) {
                first = token(a);
                a.expect("locked", STARTUP);
                a.kill();
            }
            // The wrapper dies first; the JVM inside its namespace follows (SIGKILL from --kill-child).
            long gone = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (ProcessIdentity.isAlive(first) && System.nanoTime() < gone) {
                Thread.sleep(20);
            }
            try (ChildJvm b = ChildJvm.launcher(Holder.class).wrapper("unshare", "--pid", "--fork", "--kill-child")
                    .args(dir.toString(), "other").start()) {
                long second = token(b);
                b.expect("locked", STARTUP);
                assertEquals(ProcessIdentity.pid(first), ProcessIdentity.pid(second), "the PID is reused");
                assertNotEquals(first, second);
                assertTrue(ProcessIdentity.isAlive(second));
                assertFalse(ProcessIdentity.isAlive(first));
                assertEquals(LockOutcome.ACQUIRED_OWNER_DIED, lock.acquire(Duration.ofSeconds(30)));
                lock.unlock();
            }
        }
    }

    /** The documented simulation of PID reuse, for machines without unshare: a live PID, another token. */
    @Test
    void aTokenWithTheLivePidOfAnotherProcessIsDead() throws Exception {
        try (SharedLock lock = SharedLock.builder("l").directory(dir).create();
             ChildJvm child = ChildJvm.start(Holder.class, dir.toString(), "other")) {
            long live = token(child);
            long forged = live ^ (1L << 40);
            assertEquals(child.pid(), ProcessIdentity.pid(forged));
            assertTrue(ProcessIdentity.isAlive(live));
            assertFalse(ProcessIdentity.isAlive(forged));
        }
    }

    @Test
    void aNodeFileThatCannotBeCheckedMeansAlive() throws Exception {
        try (SharedLock lock = SharedLock.builder("l").directory(dir).create()) {
            Path nodes = Directories.nodesDirectory(dir);
            long unknown = 0x1234_5678_9ABCL << 8;
            Files.createSymbolicLink(nodes.resolve(ProcessIdentity.toHex(unknown) + ".node"), Path.of("/dev/null"));
            assertTrue(ProcessIdentity.isAlive(unknown), "an error (ELOOP) is unknown, and unknown is alive");
            assertFalse(ProcessIdentity.isAlive(unknown + 1), "no node file: dead");
        }
    }

    @Test
    void tokensAreDistinctAndCarryThePid() {
        long self = ProcessIdentity.self();
        assertEquals(ProcessHandle.current().pid() & ((1 << 22) - 1), ProcessIdentity.pid(self));
        assertTrue(self > 0, "bit 63 is clear (the registry's marker)");
        assertEquals(self, ProcessIdentity.fromHex(ProcessIdentity.toHex(self)));
        assertTrue(System.getProperty("io.mmipc.jvmTokens").contains(ProcessIdentity.toHex(self)));
    }

    /**
     * A second copy of the library in this JVM (its own class loader) holds a lock: this copy must see it
     * alive without opening its node file, and must not drop its fcntl lock by checking (another process
     * then still sees it alive).
     */
    @Test
    void anotherCopyOfTheLibraryInThisJvmStaysAlive() throws Exception {
        URL classes = ProcessIdentity.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader copy = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader());
             SharedLock mine = SharedLock.builder("l").directory(dir).create()) {
            Class<?> lockClass = copy.loadClass(SharedLock.class.getName());
            assertNotEquals(SharedLock.class, lockClass);
            Object builder = lockClass.getMethod("builder", String.class).invoke(null, "l");
            builder = builder.getClass().getMethod("directory", Path.class).invoke(builder, dir);
            Object theirs = builder.getClass().getMethod("open").invoke(builder);
            lockClass.getMethod("lock").invoke(theirs);
            Set<String> tokens = new HashSet<>(List.of(System.getProperty("io.mmipc.jvmTokens").split(",")));
            assertEquals(2, tokens.size(), "each copy lists its token: " + tokens);
            assertEquals(LockOutcome.TIMED_OUT, mine.tryAcquire());
            try (ChildJvm checker = ChildJvm.start(Checker.class, dir.toString(), "l", "nofill")) {
                checker.expect("fdsFull=false outcome=TIMED_OUT", STARTUP);
            }
            assertEquals(LockOutcome.TIMED_OUT, mine.tryAcquire());
            lockClass.getMethod("unlock").invoke(theirs);
            lockClass.getMethod("close").invoke(theirs);
        }
    }

    /** Not an assertion: what one check costs, printed for the record. */
    @Test
    void measureWhatOneCheckCosts() throws Exception {
        try (SharedLock lock = SharedLock.builder("l").directory(dir).create();
             ChildJvm child = ChildJvm.start(Holder.class, dir.toString(), "other")) {
            long live = token(child);
            long dead = live ^ (1L << 40);
            for (int round = 0; round < 3; round++) {
                int n = 5000;
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    assertTrue(ProcessIdentity.isAlive(live));
                }
                long t1 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    assertFalse(ProcessIdentity.isAlive(dead));
                }
                long t2 = System.nanoTime();
                System.out.printf("liveness check: live %.2f us, absent %.2f us%n", (t1 - t0) / 1e3 / n,
                        (t2 - t1) / 1e3 / n);
            }
        }
    }
}
