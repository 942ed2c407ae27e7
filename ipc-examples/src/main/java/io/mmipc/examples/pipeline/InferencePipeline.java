package io.mmipc.examples.pipeline;

import io.mmipc.SharedObjects;
import io.mmipc.codec.Codecs;
import io.mmipc.examples.Children;
import io.mmipc.examples.Examples;
import io.mmipc.process.SharedProcess;
import io.mmipc.queue.SharedQueue;
import io.mmipc.sync.SharedBarrier;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An asynchronous inference service in three stages, each its own process, joined by mmipc queues:
 *
 * <pre>
 *   network ──requests──▶ preprocessors (N processes, CPU work) ──features──▶ inference (micro-batches)
 *      ▲                                                                          │
 *      └──────────────────────────────── results ─────────────────────────────────┘
 * </pre>
 *
 * The network stage sends requests at a steady rate and receives the results; the inference stage closes a
 * batch at {@value Stages#BATCH_MAX} items or after 1 s, whichever comes first, and pays a fixed cost per
 * batch (the reason to batch at all). At the end it prints throughput and per-request latency percentiles,
 * and shuts down from the front: once the network stage has every result, {@code requests.shutdown()} ends
 * the preprocessors after they drained their queue, then {@code features.shutdown()} ends the inference
 * stage after its last batch. Every stage counts what it handled, and the summary checks that nothing was
 * lost on the way.
 *
 * <p>Run: {@code scripts/example pipeline [requests] [requestsPerSecond] [preprocessors]} (defaults 10000, 2000, 2).
 */
public final class InferencePipeline {
    private static final Duration LIMIT = Duration.ofSeconds(180);

    private InferencePipeline() {
    }

    /**
     * Runs the pipeline.
     *
     * @param out  where to print what happens
     * @param args optional request count, request rate and preprocessor count
     * @return true if every request's result came back and every stage's count agrees
     * @throws Exception if a process or a queue fails
     */
    public static boolean run(PrintStream out, String... args) throws Exception {
        int n = Examples.intArg(args, 0, 10_000);
        int rate = Examples.intArg(args, 1, 2_000);
        int preprocessors = Examples.intArg(args, 2, 2);
        Examples.removeAbandoned(out);
        out.printf("inference pipeline: %d requests at %d/s, %d preprocessing processes, batches of at most %d or "
                + "%d ms, objects in %s%n", n, rate, preprocessors, Stages.BATCH_MAX, Stages.BATCH_WAIT.toMillis(),
                SharedObjects.defaultDirectory());
        try (Children children = new Children();
             SharedQueue<byte[]> requests = queue("pipeline-requests");
             SharedQueue<byte[]> features = queue("pipeline-features");
             SharedQueue<byte[]> results = queue("pipeline-results");
             // the network stage starts its clock once every stage is up (JVM start-up is not a latency)
             SharedBarrier ready = SharedBarrier.builder("pipeline-ready").parties(preprocessors + 2).create()) {
            SharedProcess<long[]> inference = children.start(
                    SharedProcess.builder(() -> Stages.infer(features, results, ready)), "inference");
            List<SharedProcess<Long>> pre = new ArrayList<>();
            for (int i = 0; i < preprocessors; i++) {
                pre.add(children.start(SharedProcess.builder(() -> Stages.preprocess(requests, features, ready)),
                        "preprocess-" + i));
            }
            SharedProcess<long[]> network = children.start(
                    SharedProcess.builder(() -> Stages.network(requests, results, ready, n, rate)), "network");

            long[] net = Examples.result(network, LIMIT); // returns once every result is back
            requests.shutdown(); // the preprocessors drain what is queued, then stop
            long preprocessed = 0;
            for (SharedProcess<Long> p : pre) {
                preprocessed += Examples.result(p, LIMIT);
            }
            features.shutdown(); // only now: every preprocessor has put its last item
            long[] inf = Examples.result(inference, LIMIT);

            long received = net[1];
            long[] latencies = Arrays.stream(net, 2, net.length).filter(l -> l > 0).sorted().toArray();
            double seconds = net[0] / 1e9;
            out.printf("throughput: %d requests in %.2f s = %.0f requests/s (offered %d/s)%n", received, seconds,
                    received / seconds, rate);
            if (latencies.length > 0) {
                out.printf("latency per request: %s%n", Examples.percentiles(latencies, "ms"));
            }
            out.printf("batches: %d, mean size %.1f, %d closed full (%d items), %d closed by the %d ms wait, %d at "
                    + "shutdown%n", inf[1], inf[0] / (double) inf[1], inf[2], Stages.BATCH_MAX, inf[3],
                    Stages.BATCH_WAIT.toMillis(), inf[1] - inf[2] - inf[3]);
            boolean ok = received == n && preprocessed == n && inf[0] == n && requests.qsize() == 0
                    && features.qsize() == 0 && results.qsize() == 0;
            out.printf("summary: sent=%d preprocessed=%d inferred=%d received=%d lost=%d, queues empty, stages "
                    + "stopped: %s%n", n, preprocessed, inf[0], received, n - received, ok ? "ok" : "CHECK FAILED");
            requests.unlink();
            features.unlink();
            results.unlink();
            ready.unlink();
            return ok;
        }
    }

    private static SharedQueue<byte[]> queue(String name) throws IOException {
        return SharedQueue.builder(name, Codecs.bytes()).create();
    }
}
