package io.mmipc.internal.mem;

import io.mmipc.internal.wait.Futex;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The mapping facade on a real file, for whichever implementation is loaded (the JDK 17 one under Surefire,
 * the JDK 22+ overlay from the jar on JDK 25): same results from both, and each one's own promises.
 */
@Timeout(60)
class MappedMemoryTest {
    private static final boolean OVERLAY = MappedMemory.implementation().equals("MemorySegment");

    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("mem");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestDirs.delete(dir);
    }

    private MappedMemory map(String name, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(dir.resolve(name), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ch.truncate(size);
            ch.write(ByteBuffer.allocate(1), size - 1);
            return MappedMemory.map(ch, size);
        }
    }

    /** Before (JDK 17): a long offset was narrowed to int, so 2^32 + 8 read the word at 8. */
    @Test
    void anOffsetBeyondTheIntRangeIsRefusedNotWrapped() throws Exception {
        try (MappedMemory m = map("wide", 4096)) {
            m.putLong(8, 42);
            long wrapped = (1L << 32) + 8;
            assertThrows(IndexOutOfBoundsException.class, () -> m.getLong(wrapped));
            assertThrows(IndexOutOfBoundsException.class, () -> m.getLongVolatile(wrapped));
            assertThrows(IndexOutOfBoundsException.class, () -> m.compareAndSetLong(wrapped, 42, 7));
            assertThrows(IndexOutOfBoundsException.class, () -> m.putInt(-(1L << 32) + 8, 7));
            assertThrows(IndexOutOfBoundsException.class, () -> m.zero((1L << 32), 16));
            assertEquals(42, m.getLong(8), "nothing was written through a wrapped offset");
        }
    }

    @Test
    void wordsInEveryMemoryOrderAndAtomics() throws Exception {
        try (MappedMemory m = map("words", 4096)) {
            assertEquals(4096, m.size());
            m.putInt(0, 1);
            m.putIntRelease(4, 2);
            m.putIntVolatile(8, 3);
            assertEquals(1, m.getInt(0));
            assertEquals(2, m.getIntAcquire(4));
            assertEquals(3, m.getIntVolatile(8));
            assertTrue(m.compareAndSetInt(8, 3, 30));
            assertFalse(m.compareAndSetInt(8, 3, 31));
            assertEquals(30, m.getAndAddInt(8, 5));
            assertEquals(35, m.getInt(8));

            m.putLong(16, 1L << 40);
            m.putLongRelease(24, 2L << 40);
            m.putLongVolatile(32, 3L << 40);
            assertEquals(1L << 40, m.getLong(16));
            assertEquals(2L << 40, m.getLongAcquire(24));
            assertEquals(3L << 40, m.getLongVolatile(32));
            assertTrue(m.compareAndSetLong(32, 3L << 40, 7));
            assertEquals(7, m.getAndAddLong(32, -8));
            assertEquals(-1, m.getLong(32));

            // Native byte order, as other processes (and futex) see the word.
            ByteBuffer raw = m.view(0, 4).order(ByteOrder.nativeOrder());
            assertEquals(1, raw.getInt(0));
        }
    }

    @Test
    void plainAccessMayBeUnalignedAtomicMayNot() throws Exception {
        try (MappedMemory m = map("unaligned", 4096)) {
            m.putInt(1, 0x01020304);
            m.putLong(13, 0x0102030405060708L);
            assertEquals(0x01020304, m.getInt(1));
            assertEquals(0x0102030405060708L, m.getLong(13));
            assertThrows(RuntimeException.class, () -> m.compareAndSetLong(13, 0, 1));
        }
    }

    @Test
    void bytesViewsAndZero() throws Exception {
        try (MappedMemory m = map("bytes", 4096)) {
            byte[] data = {1, 2, 3, 4, 5, 6, 7};
            m.putBytes(100, data, 1, 5);
            byte[] back = new byte[7];
            m.getBytes(100, back, 2, 5);
            assertArrayEquals(new byte[] {0, 0, 2, 3, 4, 5, 6}, back);

            ByteBuffer src = ByteBuffer.wrap(new byte[] {9, 8, 7});
            m.putBytes(200, src);
            assertEquals(3, src.position());
            ByteBuffer dst = ByteBuffer.allocate(8);
            dst.position(2);
            m.getBytes(200, dst, 3);
            assertEquals(5, dst.position());
            assertEquals(8, dst.get(3));
            ByteBuffer direct = ByteBuffer.allocateDirect(4);
            m.getBytes(200, direct, 3);
            assertEquals(7, direct.get(2));
            assertThrows(java.nio.BufferOverflowException.class, () -> m.getBytes(200, ByteBuffer.allocate(2), 3));

            ByteBuffer view = m.view(200, 3);
            assertEquals(ByteOrder.BIG_ENDIAN, view.order());
            assertEquals(3, view.remaining());
            view.put(0, (byte) 42);
            assertEquals(42, m.view(200, 1).get(0));

            m.zero(99, 110);
            for (int i = 99; i < 209; i++) {
                assertEquals(0, m.view(i, 1).get(0), "byte " + i);
            }
            assertEquals(0, m.getInt(1000)); // untouched
        }
    }

    @Test
    void eachImplementationKeepsItsPromisesAboutClosing() throws Exception {
        MappedMemory m = map("close", 4096);
        m.putLong(0, 5);
        m.close();
        m.close(); // idempotent
        if (OVERLAY) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.getLong(0));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> m.getAndAddInt(0, 1));
            assertThrows(IllegalStateException.class, () -> m.view(0, 8));
            assertThrows(IllegalStateException.class, () -> m.address(0));
        } else {
            assertEquals(5, m.getLong(0)); // JDK 17: released by the GC, never under a reader
        }
    }

    @Test
    void addressesForFutexOnlyOnTheOverlay() throws Exception {
        try (MappedMemory m = map("addr", 8192)) {
            if (OVERLAY) {
                assertEquals(System.getProperty("os.name").startsWith("Linux"), m.supportsFutex());
                assertEquals(m.address(0) + 4096, m.address(4096));
                assertEquals(0, m.address(0) % 4096, "a mapping starts on a page");
                assertThrows(IndexOutOfBoundsException.class, () -> m.address(8190));
            } else {
                assertFalse(m.supportsFutex());
                assertThrows(UnsupportedOperationException.class, () -> m.address(0));
            }
        }
    }

    @Test
    void mappingsLargerThan2GiBOnlyOnTheOverlay() throws Exception {
        long size = 3L << 30; // sparse: only the touched pages take memory
        if (!OVERLAY) {
            assertThrows(IOException.class, () -> map("big", size));
            return;
        }
        try (MappedMemory m = map("big", size)) {
            long far = size - 64;
            m.putLongVolatile(far, 42);
            assertEquals(42, m.getAndAddLong(far, 1));
            assertEquals(43, m.getLong(far));
        }
    }

    @Test
    void futexWaitsTimesOutAndWakes() throws Exception {
        assumeTrue(Futex.available(), Futex.unavailableReason());
        try (MappedMemory m = map("futex", 4096)) {
            m.putIntVolatile(64, 7);
            assertEquals(0, Futex.await(m, 64, 8, TimeUnit.SECONDS.toNanos(10)), "value differs: no sleep");
            long t0 = System.nanoTime();
            assertEquals(1, Futex.await(m, 64, 7, TimeUnit.MILLISECONDS.toNanos(20)));
            assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(20), "woke before the timeout");

            CompletableFuture<Integer> sleeper = CompletableFuture.supplyAsync(() -> {
                int r;
                do {
                    r = Futex.await(m, 64, 7, TimeUnit.SECONDS.toNanos(10));
                } while (r == 0 && m.getIntVolatile(64) == 7); // spurious: sleep again
                return r;
            });
            Thread.sleep(50);
            m.putIntVolatile(64, 8);
            Futex.wake(m, 64, Integer.MAX_VALUE);
            assertEquals(0, sleeper.get(5, TimeUnit.SECONDS));
        }
    }
}
