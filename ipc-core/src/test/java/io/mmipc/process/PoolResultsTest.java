package io.mmipc.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link PoolResults} in one JVM: the order, failures and waiting of {@code map}'s bulk read. */
@Timeout(30)
class PoolResultsTest {
    @Test
    void drainMovesTheResultsThatAreThereInItemOrder() {
        PoolResults<Integer> r = new PoolResults<>(6, true);
        r.sink(2, 2).values(new Object[] {2, 3});
        r.sink(0, 2).values(new Object[] {0, 1});
        List<Integer> out = new ArrayList<>();
        r.drainTo(out);
        assertEquals(List.of(0, 1, 2, 3), out); // batch 2..3 arrived first but waited for 0..1
        assertTrue(r.hasNext());
        r.sink(4, 2).values(new Object[] {4, 5});
        r.drainTo(out);
        assertEquals(List.of(0, 1, 2, 3, 4, 5), out);
        assertFalse(r.hasNext());
        assertThrows(NoSuchElementException.class, () -> r.drainTo(out));
    }

    @Test
    void aFailedBatchStopsTheDrainAfterTheResultsBeforeIt() {
        PoolResults<Integer> r = new PoolResults<>(6, true);
        RuntimeException boom = new IllegalStateException("boom");
        r.sink(0, 2).values(new Object[] {0, 1});
        r.sink(2, 2).failed(boom);
        r.sink(4, 2).values(new Object[] {4, 5});
        List<Integer> out = new ArrayList<>();
        CompletionException e = assertThrows(CompletionException.class, () -> r.drainTo(out));
        assertSame(boom, e.getCause());
        assertEquals(List.of(0, 1), out);
        assertThrows(CompletionException.class, () -> r.drainTo(out)); // item 3, as next() would
        r.drainTo(out);
        assertEquals(List.of(0, 1, 4, 5), out);
    }

    @Test
    void drainWaitsForTheNextResultAndEndsOnInterrupt() throws Exception {
        PoolResults<Integer> r = new PoolResults<>(2, true);
        List<Integer> out = new ArrayList<>();
        CountDownLatch started = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            started.countDown();
            r.drainTo(out);
        });
        t.start();
        started.await();
        r.sink(0, 2).values(new Object[] {7, 8});
        t.join(10_000);
        assertFalse(t.isAlive());
        assertEquals(List.of(7, 8), out);

        PoolResults<Integer> never = new PoolResults<>(1, true);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> flagKept = new AtomicReference<>();
        Thread w = new Thread(() -> {
            try {
                never.drainTo(new ArrayList<>());
            } catch (CompletionException e) {
                thrown.set(e.getCause());
                flagKept.set(Thread.currentThread().isInterrupted());
            }
        });
        w.start();
        w.interrupt();
        w.join(10_000);
        assertFalse(w.isAlive());
        assertInstanceOf(InterruptedException.class, thrown.get());
        assertTrue(flagKept.get());
    }

    @Test
    void resultsInCompletionOrderAreNotDrained() {
        PoolResults<Integer> r = new PoolResults<>(1, false);
        assertThrows(IllegalStateException.class, () -> r.drainTo(new ArrayList<>()));
    }
}
