package io.mmipc.queue;

import io.mmipc.codec.Codecs;
import io.mmipc.testing.ChildJvm;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14 item 1: closing a handle while its calls are blocked. Each blocked call leaves with the closed
 * error; the queue stays fully usable by another handle and another process (the consumer lock is not left
 * held); closing the last handle does not block. On the jar on JDK 22+ the close really unmaps (once no
 * call is in flight), so this also proves no call touches unmapped memory.
 */
@Timeout(120)
class CloseInFlightTest {
    private Path dir;
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("close-in-flight");
    }

    @AfterEach
    void tearDown() throws Exception {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        TestDirs.delete(dir);
    }

    private QueueBuilder<String, ? extends SharedQueue<String>> strings(String name) {
        return SharedQueue.builder(name, Codecs.string()).directory(dir);
    }

    private static void assertClosedError(Future<?> call) throws InterruptedException {
        try {
            call.get(30, TimeUnit.SECONDS);
            throw new AssertionError("the call returned instead of failing");
        } catch (ExecutionException e) {
            IllegalStateException ise = assertInstanceOf(IllegalStateException.class, e.getCause());
            // The handle's own error, naming the queue (not, say, a closed arena's "Already closed").
            assertTrue(ise.getMessage().endsWith("' is closed"), ise.getMessage());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the blocked call did not leave after close", e);
        }
    }

    @Test
    void closeWakesBlockedCallsAndLeavesTheQueueUsable() throws Exception {
        try (SharedQueue<String> other = strings("q").create();
             SharedQueue<String> otherFull = strings("full").maxSize(1).create()) {
            SharedQueue<String> closing = strings("q").open();
            SharedQueue<String> closingFull = strings("full").open();
            otherFull.put("fills it");
            List<Future<?>> calls = new ArrayList<>();
            calls.add(pool.submit((Callable<String>) closing::get));
            calls.add(pool.submit((Callable<String>) closing::take));
            calls.add(pool.submit(() -> closing.poll(1, TimeUnit.DAYS)));
            calls.add(pool.submit(() -> closing.get(Duration.ofDays(1))));
            calls.add(pool.submit(() -> {
                closingFull.put("blocked: full");
                return null;
            }));
            calls.add(pool.submit(() -> closingFull.offer("blocked", 1, TimeUnit.DAYS)));
            Thread.sleep(300); // let them block (if one has not, it meets the closed handle: same outcome)
            closing.close();
            closingFull.close();
            for (Future<?> call : calls) {
                assertClosedError(call);
            }
            assertThrows(IllegalStateException.class, closing::qsize);
            assertThrows(IllegalStateException.class, closing::empty);
            assertThrows(IllegalStateException.class, closing::full);
            assertThrows(IllegalStateException.class, closing::peek);
            assertThrows(IllegalStateException.class, closing::poll);
            assertThrows(IllegalStateException.class, () -> closing.offer("x"));
            assertTrue(closing.toString().contains("closed"), closing.toString());

            // The other handle, and another process, still put and get: nothing is wedged.
            assertEquals("fills it", otherFull.get(Duration.ofSeconds(10)));
            otherFull.put("room again");
            other.put("for the child");
            try (ChildJvm child = ChildJvm.start(Child.class, dir.toString(), "q")) {
                child.expect("got for the child", Duration.ofSeconds(60));
                assertEquals("from the child", other.get(Duration.ofSeconds(60)));
                assertEquals(0, child.waitFor(Duration.ofSeconds(60)));
            }
            assertEquals(0, other.qsize());
        }
    }

    @Test
    void closeWhileAnotherConsumerHoldsTheLock() throws Exception {
        try (SharedQueue<String> other = strings("held").create()) {
            SharedQueue<String> closing = strings("held").open();
            other.put("m");
            java.util.concurrent.CountDownLatch inReader = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            Future<Boolean> holder = pool.submit(() -> other.read(message -> {
                inReader.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, Duration.ofSeconds(30)));
            assertTrue(inReader.await(30, TimeUnit.SECONDS));
            Future<String> waiting = pool.submit(() -> closing.get(Duration.ofDays(1)));
            Thread.sleep(300);
            closing.close();
            assertClosedError(waiting);
            release.countDown();
            assertTrue(holder.get(30, TimeUnit.SECONDS));
            other.put("after");
            assertEquals("after", other.get(Duration.ofSeconds(10)));
        }
    }

    @Test
    void closeWhileThisHandleHoldsTheLockLeavesNothingWedged() throws Exception {
        try (SharedQueue<String> other = strings("holder").create()) {
            SharedQueue<String> closing = strings("holder").open();
            other.put("m");
            java.util.concurrent.CountDownLatch inReader = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            Future<Boolean> reading = pool.submit(() -> closing.read(message -> {
                inReader.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, Duration.ofSeconds(30)));
            assertTrue(inReader.await(30, TimeUnit.SECONDS));
            closing.close(); // while its thread holds the consumer lock, inside the read
            release.countDown();
            try {
                assertTrue(reading.get(30, TimeUnit.SECONDS), "the message was read before the close");
            } catch (ExecutionException e) {
                throw new AssertionError("the read in flight failed after the close", e.getCause());
            }
            // The lock was released: another handle takes at once.
            other.put("after");
            assertEquals("after", other.get(Duration.ofSeconds(10)));
        }
    }

    /** Child JVM: takes one message, puts one back. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            try (SharedQueue<String> q = SharedQueue.builder(args[1], Codecs.string()).directory(Path.of(args[0]))
                    .open()) {
                System.out.println("got " + q.get(Duration.ofSeconds(30)));
                q.put("from the child");
            }
            System.out.flush();
            System.exit(0);
        }
    }
}
