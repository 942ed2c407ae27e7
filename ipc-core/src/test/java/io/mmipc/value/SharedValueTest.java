package io.mmipc.value;

import io.mmipc.ObjectFileException;
import io.mmipc.sync.LockHold;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class SharedValueTest {
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("value");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestDirs.delete(dir);
    }

    @Test
    void longBehavesLikeAtomicLongAcrossHandles() throws Exception {
        try (SharedLong a = SharedLong.builder("l").directory(dir).initialValue(100).create();
             SharedLong b = SharedLong.builder("l").directory(dir).open()) {
            assertEquals(100, b.get());
            a.set(7);
            assertEquals(7, b.get());
            assertEquals(8, b.incrementAndGet());
            assertEquals(7, a.decrementAndGet());
            assertEquals(7, a.getAndAdd(3));
            assertEquals(15, a.addAndGet(5));
            assertTrue(b.compareAndSet(15, 1));
            assertFalse(b.compareAndSet(15, 2));
            assertEquals(1, a.getAndSet(Long.MIN_VALUE));
            assertEquals(Long.MIN_VALUE, b.get());
            assertEquals(42, a.updateAndGet(v -> 42));
            assertEquals("value 'l' [42]", a.toString());
        }
    }

    @Test
    void intDoubleAndByteValues() throws Exception {
        try (SharedInt i = SharedInt.builder("i").directory(dir).initialValue(-5).create();
             SharedDouble d = SharedDouble.builder("d").directory(dir).initialValue(1.5).create();
             SharedByte b = SharedByte.builder("b").directory(dir).initialValue((byte) 127).create()) {
            assertEquals(-5, i.get());
            assertEquals(-4, i.incrementAndGet());
            assertEquals(Integer.MAX_VALUE, i.updateAndGet(v -> Integer.MAX_VALUE));
            assertEquals(1.5, d.get());
            assertEquals(1.5, d.getAndAdd(1.0));
            assertEquals(3.0, d.addAndGet(0.5));
            assertTrue(d.compareAndSet(3.0, Double.NaN));
            assertTrue(d.compareAndSet(Double.NaN, -0.0), "bitwise: NaN matches NaN");
            assertFalse(d.compareAndSet(0.0, 1.0), "bitwise: 0.0 does not match -0.0");
            assertEquals(127, b.get());
            assertEquals(-128, b.incrementAndGet(), "byte arithmetic wraps");
            assertEquals(-128, b.getAndSet((byte) 3));
            assertTrue(b.compareAndSet((byte) 3, (byte) -1));
            assertEquals(255, Byte.toUnsignedInt(b.get()));
        }
        try (SharedInt again = SharedInt.builder("i").directory(dir).open()) {
            assertEquals(Integer.MAX_VALUE, again.get(), "the value outlives the handles (until unlinked)");
            again.unlink();
        }
    }

    @Test
    void lockIsOnByDefaultReentrantAndCanBeTurnedOff() throws Exception {
        try (SharedLong withLock = SharedLong.builder("w").directory(dir).create();
             SharedLong without = SharedLong.builder("n").directory(dir).lock(false).create()) {
            assertTrue(withLock.hasLock());
            try (LockHold h = withLock.getLock().hold(); LockHold again = withLock.getLock().hold()) {
                withLock.set(withLock.get() - 1);
                assertEquals(2, withLock.getLock().getHoldCount());
            }
            assertEquals(-1, withLock.get());
            assertFalse(without.hasLock());
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, without::getLock);
            assertTrue(e.getMessage().contains("value 'n' was created without a lock"), e.getMessage());
            ObjectFileException m = assertThrows(ObjectFileException.class,
                    () -> SharedLong.builder("n").directory(dir).lock(true).open());
            assertTrue(m.getMessage().contains("lock mismatch: requested=true, file=false"), m.getMessage());
            withLock.getLock().close();
            assertEquals(-1, withLock.get(), "closing the embedded lock's handle leaves the value open");
        }
    }

    @Test
    void openChecksTheElementTypeAndKind() throws Exception {
        try (SharedInt i = SharedInt.builder("x").directory(dir).create()) {
            ObjectFileException e = assertThrows(ObjectFileException.class,
                    () -> SharedLong.builder("x").directory(dir).open());
            assertTrue(e.getMessage().contains("element type mismatch: expected=long, found=int"), e.getMessage());
            ObjectFileException a = assertThrows(ObjectFileException.class,
                    () -> SharedIntArray.builder("x").directory(dir).open());
            assertTrue(a.getMessage().contains("expected array, found value"), a.getMessage());
        }
        SharedLong closed = SharedLong.builder("c").directory(dir).create();
        closed.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, closed::get);
        assertTrue(e.getMessage().contains("value 'c' is closed"), e.getMessage());
        assertEquals("value 'c' [closed]", closed.toString());
    }
}
