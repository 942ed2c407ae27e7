package io.mmipc.value;

import io.mmipc.internal.mem.MappedMemory;

import java.nio.ByteOrder;

/**
 * Atomic access to single bytes of mapped memory through the aligned int that contains them (the mapping
 * offers int and long atomics only). The data area is padded to whole 8-byte words, so that int exists.
 */
final class ByteCells {
    private static final boolean LITTLE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private ByteCells() {
    }

    private static int shift(long offset) {
        int lane = (int) (offset & 3);
        return 8 * (LITTLE ? lane : 3 - lane);
    }

    /** Volatile read of the byte at {@code offset}. */
    static byte get(MappedMemory memory, long offset) {
        return (byte) (memory.getIntVolatile(offset & ~3L) >>> shift(offset));
    }

    /** Atomically replaces the byte at {@code offset} if it is {@code expected}; true if it did. */
    static boolean compareAndSet(MappedMemory memory, long offset, byte expected, byte value) {
        long word = offset & ~3L;
        int shift = shift(offset);
        int mask = 0xFF << shift;
        while (true) {
            int w = memory.getIntVolatile(word);
            if ((byte) (w >>> shift) != expected) {
                return false;
            }
            int next = (w & ~mask) | ((value & 0xFF) << shift);
            if (memory.compareAndSetInt(word, w, next)) {
                return true;
            }
        }
    }

    /** Atomically sets the byte at {@code offset} (volatile); returns the old value. */
    static byte getAndSet(MappedMemory memory, long offset, byte value) {
        byte old;
        do {
            old = get(memory, offset);
        } while (!compareAndSet(memory, offset, old, value));
        return old;
    }

    /** Atomically adds to the byte at {@code offset}, wrapping like Java byte arithmetic; returns the old value. */
    static byte getAndAdd(MappedMemory memory, long offset, int delta) {
        byte old;
        do {
            old = get(memory, offset);
        } while (!compareAndSet(memory, offset, old, (byte) (old + delta)));
        return old;
    }
}
