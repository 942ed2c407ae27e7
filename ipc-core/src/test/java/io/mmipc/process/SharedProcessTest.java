package io.mmipc.process;

import io.mmipc.codec.Codecs;
import io.mmipc.pipe.PipeConnection;
import io.mmipc.pipe.SharedPipe;
import io.mmipc.queue.SharedQueue;
import io.mmipc.sync.SharedLock;
import io.mmipc.testing.ChildJvm;
import io.mmipc.testing.TestDirs;
import io.mmipc.value.SharedLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link SharedProcess} across real child JVMs. */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SharedProcessTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("proc");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestDirs.delete(dir);
    }

    @Test
    void lambdaCapturingValuesReturnsItsResult() throws Exception {
        int a = 6;
        String b = "x";
        try (SharedProcess<String> p = SharedProcess.builder(() -> b.repeat(a * 7)).name("calc").start()) {
            assertEquals(42, p.result().length());
            assertEquals(0, p.exitCode().getAsInt());
            assertEquals("calc", p.name());
        }
    }

    @Test
    void exceptionArrivesWithTheChildsStackTrace() throws Exception {
        try (SharedProcess<Integer> p = SharedProcess.builder(SharedProcessTest::divideByZero).start()) {
            ExecutionException e = assertThrows(ExecutionException.class, p::result);
            RemoteTaskException remote = assertInstanceOf(RemoteTaskException.class, e.getCause());
            assertEquals("java.lang.ArithmeticException", remote.remoteClassName());
            assertEquals(p.pid(), remote.pid());
            assertTrue(List.of(remote.getStackTrace()).stream().anyMatch(f -> f.getMethodName().equals("divideByZero")),
                    "child stack trace expected: " + List.of(remote.getStackTrace()));
            assertEquals(1, p.exitCode().getAsInt());
        }
    }

    static int divideByZero() {
        int zero = 0;
        return 1 / zero;
    }

    @Test
    void exitCodesAreNegativeSignalsAsInPython() throws Exception {
        try (SharedProcess<Void> killed = sleeper().start(); SharedProcess<Void> termed = sleeper().start();
             SharedProcess<Void> exited = SharedProcess.builder(() -> System.exit(3)).start()) {
            assertTrue(killed.isAlive());
            killed.kill();
            termed.terminate();
            assertTrue(killed.join(WAIT) && termed.join(WAIT) && exited.join(WAIT));
            assertEquals(-9, killed.exitCode().getAsInt());
            assertEquals(-15, termed.exitCode().getAsInt());
            assertEquals(3, exited.exitCode().getAsInt());
            ExecutionException e = assertThrows(ExecutionException.class, exited::result);
            ProcessDiedException died = assertInstanceOf(ProcessDiedException.class, e.getCause());
            assertEquals(exited.pid(), died.pid());
        }
    }

    private static Launcher<Void> sleeper() {
        return SharedProcess.builder(() -> Thread.sleep(600_000));
    }

    @Test
    void outputArrivesLineByLineEvenWhenTheChildDies() throws Exception {
        List<String> out = new CopyOnWriteArrayList<>();
        List<String> err = new CopyOnWriteArrayList<>();
        try (SharedProcess<Void> p = SharedProcess.builder(() -> {
            System.out.println("one");
            System.err.println("problem");
            System.out.print("last, no newline");
            System.out.flush();
            Runtime.getRuntime().halt(9);
        }).stdout(out::add).stderr(err::add).start()) {
            assertTrue(p.join(WAIT));
            assertEquals(List.of("one", "last, no newline"), out);
            assertEquals(List.of("problem"), err);
            assertEquals(9, p.exitCode().getAsInt());
        }
    }

    @Test
    void outputCanGoToAFile() throws Exception {
        Path log = dir.resolve("child.log");
        try (SharedProcess<Void> p = SharedProcess.builder(() -> System.out.println("to the file")).output(log)
                .start()) {
            p.result();
        }
        assertEquals(List.of("to the file"), Files.readAllLines(log));
    }

    @Test
    void queuePipeAndLockPassedAsArgumentsAreLiveInTheChild() throws Exception {
        try (SharedQueue<String> q = SharedQueue.builder("q", Codecs.string()).directory(dir).create();
             SharedPipe<String> pipe = SharedPipe.builder("p", Codecs.string()).directory(dir).create();
             SharedLock lock = SharedLock.builder("l").directory(dir).create();
             SharedLong counter = SharedLong.builder("c").directory(dir).create()) {
            PipeConnection<String> childEnd = pipe.second();
            q.put("hello");
            try (SharedProcess<Long> p = SharedProcess.builder(() -> {
                String s = q.get(Duration.ofSeconds(30));
                childEnd.send(s + " back");
                try (var h = lock.hold()) {
                    counter.addAndGet(s.length());
                }
                return lock.ownerPid();
            }).start()) {
                if (!pipe.first().poll(WAIT)) {
                    p.kill();
                    p.result(); // throws the child's exception, if it had one
                }
                assertEquals("hello back", pipe.first().recv());
                assertEquals(0L, p.result());
            }
            assertEquals(5, counter.get());
        }
    }

    @Test
    void mainClassWithArgumentsAndSettings() throws Exception {
        List<String> out = new CopyOnWriteArrayList<>();
        try (SharedProcess<Void> p = SharedProcess.builder(PrintArgs.class, "a", "b c").directory(dir)
                .environment("MMIPC_TEST_ENV", "env-value").jvmOptions("-Dmmipc.test.option=opt").stdout(out::add)
                .start()) {
            assertTrue(p.join(WAIT));
            assertEquals(0, p.exitCode().getAsInt());
        }
        assertEquals(List.of("args=[a, b c]", "env=env-value", "option=opt", "cwd=" + dir.toRealPath()), out);
    }

    /** Prints what it was given. */
    public static final class PrintArgs {
        /** @param args printed */
        public static void main(String[] args) throws Exception {
            System.out.println("args=" + List.of(args));
            System.out.println("env=" + System.getenv("MMIPC_TEST_ENV"));
            System.out.println("option=" + System.getProperty("mmipc.test.option"));
            System.out.println("cwd=" + Path.of("").toRealPath());
        }
    }

    @Test
    void resultOfAClassNotAllowedIsRefusedUnlessAllowed() throws Exception {
        try (SharedProcess<Object> p = SharedProcess.<Object>builder(() -> new java.util.concurrent.atomic.AtomicLong(5))
                .start()) {
            ExecutionException e = assertThrows(ExecutionException.class, p::result);
            assertTrue(e.getMessage().contains("java.util.concurrent.atomic.AtomicLong"), e.getMessage());
        }
        try (SharedProcess<Object> p = SharedProcess.<Object>builder(() -> new java.util.concurrent.atomic.AtomicLong(5))
                .allow(java.util.concurrent.atomic.AtomicLong.class).start()) {
            assertEquals(5L, ((java.util.concurrent.atomic.AtomicLong) p.result()).get());
        }
    }

    @Test
    void descriptorStringReopensAHandle() throws Exception {
        try (SharedQueue<String> q = SharedQueue.builder("desc", Codecs.string()).directory(dir).create()) {
            String d = SharedHandles.describe(q);
            assertTrue(d.startsWith("mmipc:QUEUE:") && d.contains("codec=string"), d);
            try (SharedQueue<?> again = SharedHandles.open(d, SharedQueue.class)) {
                q.put("x");
                assertEquals("x", again.poll());
            }
            assertThrows(IllegalArgumentException.class, () -> SharedHandles.open(d, SharedLock.class));
        }
    }

    @Test
    void aDaemonChildWhoseHandleIsDroppedKeepsRunning() throws Exception {
        try (SharedQueue<String> q = SharedQueue.builder("dropped", Codecs.string()).directory(dir).create()) {
            SharedProcess.builder(() -> {
                String s = q.get(Duration.ofSeconds(60));
                q.put(s + " back");
                Thread.sleep(300); // give the parent time to take it before the handle is closed
            }).start(); // the handle is dropped at once
            for (int i = 0; i < 5; i++) {
                System.gc();
                Thread.sleep(100);
            }
            q.put("still there?");
            long deadline = System.nanoTime() + WAIT.toNanos();
            String back = null;
            while (back == null && System.nanoTime() < deadline) {
                back = q.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                if ("still there?".equals(back)) {
                    q.put(back); // our own message: put it back for the child
                    back = null;
                }
            }
            assertEquals("still there? back", back);
        }
    }

    @Test
    void daemonChildDiesWithItsParentEvenOnSigkill() throws Exception {
        try (ChildJvm parent = ChildJvm.start(DaemonParent.class)) {
            long child = Long.parseLong(parent.readLine(WAIT));
            try {
                assertTrue(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false));
                parent.kill();
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false)
                        && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertFalse(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false),
                        "daemon child " + child + " outlived its SIGKILLed parent");
            } finally {
                ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly); // no orphan if the test fails
            }
        }
    }

    /** Starts a daemon child that sleeps, prints its PID, and waits to be killed. */
    public static final class DaemonParent {
        /** @param args unused */
        public static void main(String[] args) throws Exception {
            SharedProcess<Void> p = SharedProcess.builder(() -> Thread.sleep(600_000)).start();
            System.out.println(p.pid());
            System.out.flush();
            Thread.sleep(600_000);
        }
    }
}
