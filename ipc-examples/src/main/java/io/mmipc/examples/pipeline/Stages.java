package io.mmipc.examples.pipeline;

import io.mmipc.queue.QueueEmptyException;
import io.mmipc.queue.QueueShutdownException;
import io.mmipc.queue.SharedQueue;
import io.mmipc.sync.SharedBarrier;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The three stages of {@link InferencePipeline}, each the body of its own process. Messages are small byte
 * arrays (a request id first, then the stage's data): what travels is exactly what is shown here.
 *
 * <pre>
 *   request:  long id | 32 bytes of body
 *   features: long id | 16 floats
 *   result:   long id | int label | float score
 * </pre>
 */
final class Stages {
    /** A micro-batch is closed at this many items ... */
    static final int BATCH_MAX = 128;
    /** ... or this long after its first item arrived, whichever comes first. */
    static final Duration BATCH_WAIT = Duration.ofSeconds(1);
    /** The fixed cost of one call to the "model", whatever the batch size: why batching pays. */
    static final long MODEL_CALL_MILLIS = 5;
    static final int FEATURES = 16;
    /** How long a stage waits for the others to start. */
    static final Duration LIMIT = Duration.ofSeconds(120);
    /** How long the network stage waits for the next result before it counts the missing ones as lost. */
    static final Duration NO_PROGRESS = Duration.ofSeconds(30);

    private Stages() {
    }

    /**
     * The network stage: receives requests (simulated clients, at a steady rate), hands them to the
     * preprocessors and receives every result back. Latency is measured here, where a request is sent and its
     * result arrives, because {@code System.nanoTime()} means nothing across processes.
     *
     * @return the time from the first request to the last result at index 0, the number of results received at
     *     index 1, then every request's latency (0 if its result never came), times in nanoseconds
     */
    static long[] network(SharedQueue<byte[]> requests, SharedQueue<byte[]> results, SharedBarrier ready, int n,
            int perSecond) throws Exception {
        AtomicLongArray sentAt = new AtomicLongArray(n);
        long[] out = new long[n + 2];
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread receiver = new Thread(() -> {
            try {
                for (int received = 0; received < n; received++) {
                    ByteBuffer r = ByteBuffer.wrap(results.get(NO_PROGRESS));
                    int id = (int) r.getLong();
                    long now = System.nanoTime();
                    out[id + 2] = now - sentAt.get(id);
                    out[0] = now;
                    out[1]++;
                }
            } catch (QueueEmptyException e) {
                // nothing for NO_PROGRESS: what is missing is lost, and the summary says how much
            } catch (Exception e) {
                failure.set(e);
            }
        }, "receiver");
        ready.await(LIMIT); // every stage is up: start the clock
        receiver.start();
        long t0 = System.nanoTime();
        long interval = 1_000_000_000L / perSecond;
        byte[] body = new byte[32];
        for (int i = 0; i < n; i++) {
            long early = t0 + i * interval - System.nanoTime();
            if (early > 0) {
                LockSupport.parkNanos(early); // open loop: requests arrive on time, whatever the backlog
            }
            body[i % body.length] ^= (byte) i;
            byte[] req = ByteBuffer.allocate(8 + body.length).putLong(i).put(body).array();
            sentAt.set(i, System.nanoTime());
            requests.put(req);
        }
        receiver.join(); // ends: every result arrived, or none did for NO_PROGRESS
        if (failure.get() != null) {
            throw failure.get();
        }
        out[0] = out[1] == 0 ? 0 : out[0] - t0;
        return out;
    }

    /**
     * A preprocessing process: turns each request into features with some CPU work, until the request queue is
     * shut down and drained.
     *
     * @return how many requests it preprocessed
     */
    static long preprocess(SharedQueue<byte[]> requests, SharedQueue<byte[]> features, SharedBarrier ready)
            throws Exception {
        ready.await(LIMIT);
        long count = 0;
        while (true) {
            ByteBuffer req;
            try {
                req = ByteBuffer.wrap(requests.get());
            } catch (QueueShutdownException e) {
                return count; // shut down, and everything queued before was taken
            }
            long id = req.getLong();
            long h = 0x9E3779B97F4A7C15L;
            while (req.hasRemaining()) {
                h = (h ^ req.get()) * 0x100000001B3L;
            }
            ByteBuffer f = ByteBuffer.allocate(8 + 4 * FEATURES).putLong(id);
            for (int k = 0; k < FEATURES; k++) {
                for (int round = 0; round < 500; round++) { // the CPU-heavy part: "tokenize, normalize, ..."
                    h ^= h << 13;
                    h ^= h >>> 7;
                    h ^= h << 17;
                }
                f.putFloat((h >>> 40) / (float) (1 << 24) - 0.5f);
            }
            features.put(f.array());
            count++;
        }
    }

    /**
     * The inference process: collects micro-batches (at most {@link #BATCH_MAX} items or {@link #BATCH_WAIT},
     * whichever first), runs the "model" once per batch, sends each result back.
     *
     * @return items, batches, batches closed full, batches closed by the wait, in that order
     */
    static long[] infer(SharedQueue<byte[]> features, SharedQueue<byte[]> results, SharedBarrier ready)
            throws Exception {
        ready.await(LIMIT);
        long[] stats = new long[4];
        List<byte[]> batch = new ArrayList<>(BATCH_MAX);
        boolean open = true;
        while (open) {
            try {
                batch.add(features.get()); // a batch starts with its first item
            } catch (QueueShutdownException e) {
                break;
            }
            long deadline = System.nanoTime() + BATCH_WAIT.toNanos();
            while (batch.size() < BATCH_MAX) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    batch.add(features.get(Duration.ofNanos(left)));
                } catch (QueueEmptyException e) {
                    break; // the wait is over: send what we have
                } catch (QueueShutdownException e) {
                    open = false; // the last, partial batch
                    break;
                }
            }
            stats[2] += batch.size() == BATCH_MAX ? 1 : 0;
            stats[3] += open && batch.size() < BATCH_MAX ? 1 : 0;
            runModel(batch, results);
            stats[0] += batch.size();
            stats[1]++;
            batch.clear();
        }
        return stats;
    }

    /** One call of the "model" on a batch: a fixed cost, a dot product per item, one result per item. */
    private static void runModel(List<byte[]> batch, SharedQueue<byte[]> results) throws InterruptedException {
        Thread.sleep(MODEL_CALL_MILLIS);
        for (byte[] item : batch) {
            ByteBuffer f = ByteBuffer.wrap(item);
            long id = f.getLong();
            float z = 0;
            for (int k = 0; k < FEATURES; k++) {
                z += f.getFloat() * (k % 2 == 0 ? 1.5f : -0.75f);
            }
            float score = (float) (1 / (1 + Math.exp(-z)));
            results.put(ByteBuffer.allocate(16).putLong(id).putInt(score > 0.5f ? 1 : 0).putFloat(score).array());
        }
    }
}
