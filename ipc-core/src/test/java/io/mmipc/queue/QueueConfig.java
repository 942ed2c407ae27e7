package io.mmipc.queue;

import io.mmipc.WaitMode;
import io.mmipc.codec.Codec;
import io.mmipc.internal.wait.Futex;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One queue configuration the contract suite runs against. */
final class QueueConfig {
    final String name;
    final long capacity;
    final int slotSize;
    final int maxSize;
    final boolean joinable;
    final WaitMode mode;

    private QueueConfig(String name, long capacity, int slotSize, int maxSize, boolean joinable, WaitMode mode) {
        this.name = name;
        this.capacity = capacity;
        this.slotSize = slotSize;
        this.maxSize = maxSize;
        this.joinable = joinable;
        this.mode = mode;
    }

    /** tiny ring, default, maxsize=5, 256-byte slots, joinable, SPIN, DOORBELL, and FUTEX where available. */
    static List<QueueConfig> all() {
        long dc = QueueBuilder.DEFAULT_CAPACITY;
        int ds = QueueBuilder.DEFAULT_SLOT_SIZE;
        List<QueueConfig> out = new ArrayList<>(List.of(
                new QueueConfig("tiny(1KiB,slot16)", 1024, 16, 0, false, null),
                new QueueConfig("default", dc, ds, 0, false, null),
                new QueueConfig("maxsize=5", dc, ds, 5, false, null),
                new QueueConfig("slot256", dc, 256, 0, false, null),
                new QueueConfig("joinable", dc, ds, 0, true, null),
                new QueueConfig("joinable-tiny-maxsize=5", 1024, 16, 5, true, null),
                new QueueConfig("SPIN", 4096, ds, 0, false, WaitMode.SPIN),
                new QueueConfig("DOORBELL", 4096, ds, 0, false, WaitMode.DOORBELL)));
        if (Futex.available()) {
            out.add(new QueueConfig("FUTEX", 4096, ds, 0, false, WaitMode.FUTEX));
        }
        return out;
    }

    <E> QueueBuilder<E, ? extends SharedQueue<E>> builder(Path dir, String queueName, Codec<E> codec) {
        QueueBuilder<E, ? extends SharedQueue<E>> b = joinable
                ? SharedJoinableQueue.builder(queueName, codec) : SharedQueue.builder(queueName, codec);
        b.directory(dir).capacity(capacity).slotSize(slotSize).maxSize(maxSize);
        if (mode != null) {
            b.waitMode(mode);
        }
        return b;
    }

    <E> SharedQueue<E> create(Path dir, String queueName, Codec<E> codec) throws IOException {
        return builder(dir, queueName, codec).create();
    }

    /** @return how many one-slot messages fit (maxsize, else one per slot) */
    int minimalMessagesThatFit() {
        return maxSize > 0 ? maxSize : (int) (capacity / slotSize);
    }

    /** @return the largest payload stored in the ring itself */
    int maxInline() {
        long slots = capacity / slotSize;
        return (int) (Math.min(slots / 2, (1 << 14) - 1) * slotSize - 8);
    }

    /** @return whether blocked calls burn a core (keep their waits short) */
    boolean spins() {
        return mode == WaitMode.SPIN;
    }

    @Override
    public String toString() {
        return name;
    }
}
