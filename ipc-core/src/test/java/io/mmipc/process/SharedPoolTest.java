package io.mmipc.process;

import io.mmipc.sync.SharedEvent;
import io.mmipc.testing.ChildJvm;
import io.mmipc.testing.TestDirs;
import io.mmipc.value.SharedLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link SharedPool} with real worker JVMs (two workers, small task counts). */
@Timeout(value = 240, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SharedPoolTest {
    private static final long WAIT_SECONDS = 120;

    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("pool");
    }

    @AfterEach
    void tearDown() throws Exception {
        try (Stream<Path> left = Files.list(dir)) {
            // .nodes holds the liveness locks of the folder's processes, not the pool's files.
            assertEquals(List.of(), left.filter(p -> !p.getFileName().toString().equals(".nodes"))
                    .collect(Collectors.toList()), "the pool left files behind");
        } finally {
            TestDirs.delete(dir);
        }
    }

    private PoolBuilder pool() {
        return SharedPool.builder().workers(2).directory(dir);
    }

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().collect(Collectors.toList());
    }

    @Test
    void mapImapUnorderedAndStarmapGiveEveryResultInOrder() throws Exception {
        List<Integer> squares = range(40).stream().map(x -> x * x).collect(Collectors.toList());
        try (SharedPool pool = pool().start()) {
            assertEquals(squares, pool.map(x -> x * x, range(40)));
            assertEquals(squares, pool.map(x -> x * x, range(40), 1));
            assertEquals(squares, pool.map(x -> x * x, range(40), 7));
            PoolResults<Integer> it = pool.imap(x -> x * x, range(40));
            assertEquals(40, it.total());
            List<Integer> inOrder = new ArrayList<>();
            it.forEachRemaining(inOrder::add);
            assertEquals(squares, inOrder);
            assertEquals(40, it.completed());
            Set<Integer> unordered = new HashSet<>();
            pool.<Integer, Integer>imapUnordered(x -> x * x, range(40)).forEachRemaining(unordered::add);
            assertEquals(new HashSet<>(squares), unordered);
            List<Map.Entry<String, Integer>> pairs = List.of(new AbstractMap.SimpleEntry<>("a", 3),
                    new AbstractMap.SimpleEntry<>("b", 2));
            assertEquals(List.of("aaa", "bb"), pool.starmap(String::repeat, pairs));
            assertEquals(List.of(), pool.map(x -> x, List.of()));
        }
    }

    @Test
    void errorsCarryRemoteStackTracesAndReachCallbacks() throws Exception {
        try (SharedPool pool = pool().start()) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> pool.map(SharedPoolTest::failOnThree, range(6), 1));
            RemoteTaskException remote = assertInstanceOf(RemoteTaskException.class, e.getCause());
            assertEquals("java.lang.IllegalStateException", remote.remoteClassName());
            assertEquals("three", remote.remoteMessage());
            assertTrue(List.of(remote.getStackTrace()).stream().anyMatch(f -> f.getMethodName().equals("failOnThree")));
            List<Object> called = new CopyOnWriteArrayList<>();
            CompletableFuture<Integer> ok = pool.applyAsync(SharedPoolTest::failOnThree, 2, called::add, called::add);
            CompletableFuture<Integer> bad = pool.applyAsync(SharedPoolTest::failOnThree, 3, called::add, called::add);
            assertEquals(2, ok.get(WAIT_SECONDS, TimeUnit.SECONDS));
            ExecutionException badError = assertThrows(ExecutionException.class,
                    () -> bad.get(WAIT_SECONDS, TimeUnit.SECONDS));
            assertTrue(ok.isDone() && !ok.isCompletedExceptionally() && bad.isCompletedExceptionally());
            assertTrue(called.contains(2) && called.contains(badError.getCause()), called.toString());
            assertEquals(12, pool.<Integer, Integer>apply(x -> x * 2, 6));
            assertEquals("task", pool.apply(() -> "task"));
            // the pool goes on after errors
            assertEquals(range(6), pool.map(x -> x, range(6)));
        }
    }

    static int failOnThree(int x) {
        if (x == 3) {
            throw new IllegalStateException("three");
        }
        return x;
    }

    @Test
    void aTaskOverItsTimeoutFailsItsWorkerIsReplacedThePoolGoesOn() throws Exception {
        try (SharedPool pool = pool().taskTimeout(Duration.ofSeconds(3)).start()) {
            assertEquals(1, pool.<Integer, Integer>apply(x -> x, 1)); // workers are up: start-up time is not task time
            List<Long> before = pool.workerPids();
            CompletableFuture<Object> slow = pool.applyAsync(x -> {
                Thread.sleep(600_000);
                return x;
            }, 1);
            List<Integer> others = pool.map(x -> x + 1, range(10), 1);
            assertEquals(range(11).subList(1, 11), others);
            ExecutionException e = assertThrows(ExecutionException.class, () -> slow.get(WAIT_SECONDS, TimeUnit.SECONDS));
            assertInstanceOf(TimeoutException.class, e.getCause());
            assertEquals(7, pool.<Integer, Integer>apply(x -> x, 7));
            assertNotEquals(before, pool.workerPids(), "the killed worker was replaced");
        }
    }

    @Test
    void initializerRunsOncePerWorkerBeforeItsTasks() throws Exception {
        try (SharedLong runs = SharedLong.builder("runs").directory(dir).create();
             SharedPool pool = pool().initializer(() -> {
                 System.setProperty("mmipc.test.initialized", "yes");
                 runs.incrementAndGet();
             }).start()) {
            assertEquals(List.of("yes", "yes", "yes", "yes"),
                    pool.map(x -> System.getProperty("mmipc.test.initialized"), range(4), 1));
            pool.close();
            assertEquals(2, runs.get());
            runs.unlink();
        }
    }

    @Test
    void progressIsObservableWhileImapRuns() throws Exception {
        try (SharedEvent go = SharedEvent.builder("go").directory(dir).create(); SharedPool pool = pool().start()) {
            PoolResults<Integer> it = pool.imap(x -> {
                if (x >= 5) {
                    go.await();
                }
                return x;
            }, range(8));
            assertEquals(0, it.next());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (it.completed() < 5 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(5, it.completed(), "the first five are done, the rest wait");
            assertEquals(8, it.total());
            go.set();
            List<Integer> rest = new ArrayList<>();
            it.forEachRemaining(rest::add);
            assertEquals(range(8).subList(1, 8), rest);
            assertEquals(8, it.completed());
            go.unlink();
        }
    }

    @Test
    void manyDistinctFunctionsOverflowTheWorkersCacheSafely() throws Exception {
        try (SharedPool pool = SharedPool.builder().workers(1).directory(dir).start()) {
            List<RemoteFunction<Integer, Integer>> fns = new ArrayList<>();
            for (int i = 0; i < FunctionCache.CAPACITY + 40; i++) {
                int k = i;
                fns.add(x -> x + k);
            }
            for (int i = 0; i < fns.size(); i++) {
                assertEquals(i + 1, pool.apply(fns.get(i), 1));
            }
            assertEquals(1, pool.apply(fns.get(0), 1), "evicted on both sides, sent again");
            assertEquals(fns.size(), pool.apply(fns.get(fns.size() - 1), 1));
        }
    }

    @Test
    void maxTasksPerChildRecyclesWorkers() throws Exception {
        try (SharedPool pool = SharedPool.builder().workers(1).directory(dir).maxTasksPerChild(2).start()) {
            Set<Long> pids = new HashSet<>(pool.map(x -> ProcessHandle.current().pid(), range(6), 1));
            assertEquals(3, pids.size(), "6 tasks, 2 per worker: " + pids);
        }
    }

    @Test
    void aWorkerKilledMidTaskFailsOnlyItsTaskAndTheRestFinish() throws Exception {
        try (SharedLong victim = SharedLong.builder("victim").directory(dir).create();
             SharedPool pool = pool().start()) {
            CompletableFuture<Object> doomed = pool.applyAsync(x -> {
                victim.set(ProcessHandle.current().pid());
                Thread.sleep(600_000);
                return x;
            }, 0);
            PoolResults<Integer> rest = pool.imap(x -> {
                Thread.sleep(20);
                return x;
            }, range(30));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (victim.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            long pid = victim.get();
            assertTrue(pid != 0, "the doomed task never started");
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> doomed.get(WAIT_SECONDS, TimeUnit.SECONDS));
            ProcessDiedException died = assertInstanceOf(ProcessDiedException.class, e.getCause());
            assertEquals(pid, died.pid());
            assertEquals(-9, died.exitCode());
            assertTrue(died.getMessage().contains("pid=" + pid) && died.getMessage().contains("exitCode=-9"),
                    died.getMessage());
            List<Integer> got = new ArrayList<>();
            rest.forEachRemaining(got::add);
            assertEquals(range(30), got);
            assertFalse(pool.workerPids().contains(pid));
            assertEquals(2, pool.workerPids().size());
            victim.unlink();
        }
    }

    @Test
    void systemExitInATaskFailsThatTaskWithItsStatus() throws Exception {
        try (SharedPool pool = pool().start()) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> pool.apply(x -> {
                System.exit(42);
                return x;
            }, 1));
            assertEquals(42, assertInstanceOf(ProcessDiedException.class, e.getCause()).exitCode());
            assertEquals(range(4), pool.map(x -> x, range(4)));
        }
    }

    @Test
    void aWorkerOutOfMemoryFailsItsTaskAndIsReplaced() throws Exception {
        try (SharedPool pool = pool().jvmOptions("-Xmx64m").start()) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> pool.apply(x -> {
                List<long[]> hog = new ArrayList<>();
                while (true) {
                    hog.add(new long[1 << 20]);
                }
            }, 1));
            ProcessDiedException died = assertInstanceOf(ProcessDiedException.class, e.getCause());
            assertEquals(3, died.exitCode(), died.getMessage());
            assertEquals(range(4), pool.map(x -> x, range(4)));
        }
    }

    @Test
    void aResultThatCannotBeSerializedFailsThatTaskOnly() throws Exception {
        try (SharedPool pool = pool().start()) {
            PoolResults<Object> it = pool.imap(x -> x == 1 ? new Object() : x, range(3));
            assertEquals(0, it.next());
            CompletionException e = assertThrows(CompletionException.class, it::next);
            assertTrue(e.getCause().getMessage().contains("cannot be serialized"), e.getCause().getMessage());
            assertEquals(2, it.next());
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> pool.apply(x -> new java.util.concurrent.atomic.AtomicInteger(x), 1));
            assertTrue(refused.getCause().getMessage().contains("java.util.concurrent.atomic.AtomicInteger"),
                    refused.getCause().getMessage());
        }
    }

    @Test
    void executorServiceViewRunsSerializableCallables() throws Exception {
        try (SharedPool pool = pool().start()) {
            ExecutorService ex = pool.asExecutorService();
            Callable<Long> pid = (Callable<Long> & Serializable) () -> ProcessHandle.current().pid();
            assertNotEquals(ProcessHandle.current().pid(), ex.submit(pid).get(WAIT_SECONDS, TimeUnit.SECONDS));
            List<Future<Long>> all = ex.invokeAll(List.of(pid, pid, pid));
            for (Future<Long> f : all) {
                assertTrue(pool.workerPids().contains(f.get()));
            }
            Callable<Long> local = () -> 1L;
            assertThrows(RejectedExecutionException.class, () -> ex.submit(local));
            ex.shutdown();
            assertTrue(ex.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS));
            assertTrue(ex.isTerminated());
            assertThrows(RejectedExecutionException.class, () -> ex.submit(pid));
        }
    }

    @Test
    void terminateFailsUnfinishedTasksAndStopsWorkers() throws Exception {
        SharedPool pool = pool().start();
        CompletableFuture<Object> f = pool.applyAsync(x -> {
            Thread.sleep(600_000);
            return x;
        }, 1);
        List<Long> pids = pool.workerPids();
        pool.terminate();
        assertTrue(pool.join(Duration.ofSeconds(WAIT_SECONDS)));
        assertThrows(java.util.concurrent.CancellationException.class, () -> f.get(WAIT_SECONDS, TimeUnit.SECONDS));
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        }
    }

    @Test
    void workersAndTheirQueuesGoWhenTheParentIsKilled() throws Exception {
        try (ChildJvm parent = ChildJvm.start(PoolParent.class, dir.toString())) {
            String[] pids = parent.readLine(Duration.ofSeconds(WAIT_SECONDS)).split(",");
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(1, files.count(), "the pool's folder");
            }
            parent.kill();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (System.nanoTime() < deadline && (anyAlive(pids) || !isEmpty(dir))) {
                Thread.sleep(100);
            }
            assertFalse(anyAlive(pids), "workers outlived their SIGKILLed parent");
            assertTrue(isEmpty(dir), "the pool's folder is left behind");
        }
    }

    private static boolean anyAlive(String[] pids) {
        for (String p : pids) {
            if (ProcessHandle.of(Long.parseLong(p.trim())).map(ProcessHandle::isAlive).orElse(false)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isEmpty(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.findAny().isEmpty();
        }
    }

    /** Starts a pool in the folder given, prints its workers' PIDs, and waits to be killed. */
    public static final class PoolParent {
        /** @param args the folder for the pool */
        public static void main(String[] args) throws Exception {
            SharedPool pool = SharedPool.builder().workers(2).directory(Path.of(args[0])).start();
            pool.map(x -> x, List.of(1, 2), 1);
            System.out.println(pool.workerPids().stream().map(String::valueOf).collect(Collectors.joining(",")));
            System.out.flush();
            Thread.sleep(600_000);
        }
    }

    @Test
    void moreWorkersThanTheRegistryHoldsIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SharedPool.builder().workers(PoolBuilder.MAX_WORKERS + 1));
        assertTrue(e.getMessage().contains("128"), e.getMessage());
    }
}
