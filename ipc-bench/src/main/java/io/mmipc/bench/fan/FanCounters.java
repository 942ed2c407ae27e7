package io.mmipc.bench.fan;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One message counter per consumer process, in a small mapped file: each consumer release-stores its running
 * count after every message; the coordinator acquire-loads them all. Each counter has its own 128 bytes, so
 * consumers never share a cache line (or its prefetched neighbour).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          consumer 0's count (long, native order)              |
 * +                                                               +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    padding to byte 128                       ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          consumer 1's count at byte 128, and so on            |
 * </pre>
 */
final class FanCounters {
    private static final int STRIDE = 128;
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final MappedByteBuffer buffer;
    private final int count;

    private FanCounters(MappedByteBuffer buffer, int count) {
        this.buffer = buffer;
        this.count = count;
    }

    /** Maps (creating if needed) the counters file for {@code count} consumers. */
    static FanCounters map(Path file, int count) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            return new FanCounters(ch.map(FileChannel.MapMode.READ_WRITE, 0, (long) STRIDE * count), count);
        }
    }

    /** Publishes consumer {@code index}'s running count (release: the coordinator may act on it at once). */
    void set(int index, long value) {
        LONG.setRelease(buffer, index * STRIDE, value);
    }

    /** @return the sum of every consumer's count */
    long sum() {
        long s = 0;
        for (int i = 0; i < count; i++) {
            s += (long) LONG.getAcquire(buffer, i * STRIDE);
        }
        return s;
    }
}
