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
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class SharedBarrierTest {
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("barrier");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestDirs.delete(dir);
    }

    private static CompletableFuture<Integer> party(SharedBarrier b, Duration timeout) {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        new Thread(() -> {
            try {
                f.complete(b.await(timeout));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }).start();
        return f;
    }

    private static Throwable failure(CompletableFuture<?> f) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        return e.getCause();
    }

    @Test
    void releasesAllPartiesWithDistinctIndicesRoundAfterRound() throws Exception {
        AtomicInteger actions = new AtomicInteger();
        try (SharedBarrier b = SharedBarrier.builder("b").directory(dir).parties(3).action(actions::incrementAndGet)
                .create()) {
            for (int round = 0; round < 20; round++) {
                List<CompletableFuture<Integer>> parties = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    parties.add(party(b, Duration.ofSeconds(30)));
                }
                Set<Integer> indices = new TreeSet<>();
                for (CompletableFuture<Integer> p : parties) {
                    indices.add(p.get(10, TimeUnit.SECONDS));
                }
                assertEquals(Set.of(0, 1, 2), indices);
            }
            assertEquals(20, actions.get());
            assertEquals(0, b.numberWaiting());
            assertFalse(b.isBroken());
        }
    }

    @Test
    void timeoutBreaksTheBarrierForEveryone() throws Exception {
        try (SharedBarrier b = SharedBarrier.builder("t").directory(dir).parties(3).create()) {
            CompletableFuture<Integer> patient = party(b, Duration.ofSeconds(30));
            CompletableFuture<Integer> hasty = party(b, Duration.ofMillis(100));
            assertInstanceOf(TimeoutException.class, failure(hasty));
            assertInstanceOf(BrokenBarrierException.class, failure(patient));
            assertTrue(b.isBroken());
            assertThrows(BrokenBarrierException.class, b::await);
            b.reset();
            assertFalse(b.isBroken());
            CompletableFuture<Integer> x = party(b, Duration.ofSeconds(30));
            CompletableFuture<Integer> y = party(b, Duration.ofSeconds(30));
            int z = b.await(Duration.ofSeconds(30));
            assertEquals(Set.of(0, 1, 2), Set.of(x.get(10, TimeUnit.SECONDS), y.get(10, TimeUnit.SECONDS), z),
                    "usable again after reset");
        }
    }

    @Test
    void resetAndAbortBreakWaiters() throws Exception {
        try (SharedBarrier b = SharedBarrier.builder("r").directory(dir).parties(2).create()) {
            CompletableFuture<Integer> w = party(b, Duration.ofSeconds(30));
            while (b.numberWaiting() != 1) {
                Thread.sleep(5);
            }
            b.reset();
            assertInstanceOf(BrokenBarrierException.class, failure(w));
            assertFalse(b.isBroken(), "reset leaves it usable");
            CompletableFuture<Integer> v = party(b, Duration.ofSeconds(30));
            while (b.numberWaiting() != 1) {
                Thread.sleep(5);
            }
            b.abort();
            assertInstanceOf(BrokenBarrierException.class, failure(v));
            assertTrue(b.isBroken());
        }
    }

    @Test
    void failingActionBreaksTheBarrier() throws Exception {
        try (SharedBarrier b = SharedBarrier.builder("f").directory(dir).parties(2).action(() -> {
            throw new IllegalStateException("boom");
        }).create()) {
            CompletableFuture<Integer> w = party(b, Duration.ofSeconds(30));
            while (b.numberWaiting() != 1) {
                Thread.sleep(5);
            }
            IllegalStateException e = assertThrows(IllegalStateException.class, b::await);
            assertEquals("boom", e.getMessage());
            assertInstanceOf(BrokenBarrierException.class, failure(w));
        }
    }

    @Test
    void partiesAreRequiredAndChecked() throws Exception {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SharedBarrier.builder("x").directory(dir).create());
        assertTrue(e.getMessage().contains("parties(n) is required"), e.getMessage());
        try (SharedBarrier b = SharedBarrier.builder("x").directory(dir).parties(4).create()) {
            ObjectFileException m = assertThrows(ObjectFileException.class,
                    () -> SharedBarrier.builder("x").directory(dir).parties(5).open());
            assertTrue(m.getMessage().contains("parties mismatch: requested=5, file=4"), m.getMessage());
            try (SharedBarrier o = SharedBarrier.builder("x").directory(dir).open()) {
                assertEquals(4, o.parties());
            }
        }
    }
}
