package io.mmipc.value;

import io.mmipc.ObjectFileException;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class SharedArrayTest {
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("array");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestDirs.delete(dir);
    }

    @Test
    void longArrayElementsAndBulkCopies() throws Exception {
        try (SharedLongArray a = SharedLongArray.builder("a").directory(dir).contents(new long[] {1, 2, 3, 4}).create();
             SharedLongArray b = SharedLongArray.builder("a").directory(dir).length(4).open()) {
            assertEquals(4, b.length());
            assertArrayEquals(new long[] {1, 2, 3, 4}, b.toArray());
            a.set(0, 10);
            assertEquals(10, b.get(0));
            assertEquals(3, b.incrementAndGet(1));
            assertEquals(3, b.getAndAdd(2, 5));
            assertTrue(a.compareAndSet(3, 4, 40));
            assertFalse(a.compareAndSet(3, 4, 41));
            assertEquals(41, a.updateAndGet(3, v -> v + 1));
            b.copyFrom(new long[] {7, 8, 9}, 1, 1, 2);
            long[] dst = new long[5];
            a.copyTo(1, dst, 2, 3);
            assertArrayEquals(new long[] {0, 0, 8, 9, 41}, dst);
            assertEquals("array 'a' [10, 8, 9, 41]", a.toString());
        }
    }

    @Test
    void indicesAreCheckedWithClearMessages() throws Exception {
        try (SharedIntArray a = SharedIntArray.builder("ix").directory(dir).length(3).create()) {
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> a.get(3));
            assertEquals("array 'ix': index out of bounds: index=3, length=3", e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> a.set(-1, 0));
            IndexOutOfBoundsException r = assertThrows(IndexOutOfBoundsException.class,
                    () -> a.copyFrom(new int[5], 0, 1, 3));
            assertEquals("array 'ix': range out of bounds: index=1, count=3, length=3", r.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> a.copyTo(0, new int[2], 0, 3));
            assertArrayEquals(new int[3], a.toArray(), "nothing copied by a failed call");
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SharedIntArray.builder("nolen").directory(dir).create());
        assertTrue(e.getMessage().contains("length(n) or contents(...) is required"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SharedIntArray.builder("neg").length(-1));
    }

    @Test
    void openChecksTheLength() throws Exception {
        try (SharedDoubleArray a = SharedDoubleArray.builder("d").directory(dir).length(8).create()) {
            ObjectFileException e = assertThrows(ObjectFileException.class,
                    () -> SharedDoubleArray.builder("d").directory(dir).length(9).open());
            assertTrue(e.getMessage().contains("length mismatch: requested=9, file=8"), e.getMessage());
        }
        try (SharedDoubleArray empty = SharedDoubleArray.builder("e").directory(dir).length(0).create()) {
            assertEquals(0, empty.toArray().length);
        }
    }

    @Test
    void doubleArray() throws Exception {
        try (SharedDoubleArray a = SharedDoubleArray.builder("da").directory(dir).contents(new double[] {0.5, -1})
                .create()) {
            assertEquals(0.5, a.get(0));
            assertEquals(0.5, a.getAndAdd(0, 1));
            assertEquals(2.5, a.addAndGet(0, 1));
            assertTrue(a.compareAndSet(1, -1, 3));
            assertArrayEquals(new double[] {2.5, 3}, a.toArray());
        }
    }

    @Test
    void byteElementsAreIndependentUnderConcurrentUpdates() throws Exception {
        try (SharedByteArray a = SharedByteArray.builder("b").directory(dir).length(8).create()) {
            CompletableFuture<?>[] workers = new CompletableFuture<?>[4];
            for (int t = 0; t < 4; t++) {
                int index = t;
                workers[t] = CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < 10_000; i++) {
                        a.incrementAndGet(index);
                        a.set(index + 4, (byte) i);
                    }
                }, r -> new Thread(r).start());
            }
            for (CompletableFuture<?> w : workers) {
                w.get(30, TimeUnit.SECONDS);
            }
            for (int t = 0; t < 4; t++) {
                assertEquals((byte) 10_000, a.get(t), "no increment lost to a neighbour's write");
                assertEquals((byte) 9_999, a.get(t + 4));
            }
            a.copyFrom("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, 0, 5);
            byte[] dst = new byte[5];
            a.copyTo(0, dst, 0, 5);
            assertEquals("hello", new String(dst, java.nio.charset.StandardCharsets.US_ASCII));
        }
    }
}
