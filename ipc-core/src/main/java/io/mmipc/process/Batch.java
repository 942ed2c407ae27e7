package io.mmipc.process;

import java.util.Set;

/**
 * Items sent to a worker as one message (one item, or a chunk of a {@code map}), with what to do with the
 * outcome. Its id is unique in the pool; its arguments are serialized once, when it is submitted.
 */
final class Batch {
    /** Receives a batch's outcome (on the pool's result thread). */
    interface Sink {
        /** @param values the results, in item order */
        void values(Object[] values);

        /** @param error why every item of the batch failed */
        void failed(Throwable error);
    }

    final long id;
    final PoolFunction fn;
    final byte[] items;
    final Set<String> itemClasses;
    final int count;
    final Sink sink;
    /** The worker slot it was sent to (null while pending); guarded by the pool core. */
    WorkerSlot slot;
    /** When it was put on the worker's queue (System.nanoTime). */
    long sentAt;

    Batch(long id, PoolFunction fn, TaskSerializer.Written items, int count, Sink sink) {
        this.id = id;
        this.fn = fn;
        this.items = items.bytes();
        this.itemClasses = items.classes();
        this.count = count;
        this.sink = sink;
    }
}
