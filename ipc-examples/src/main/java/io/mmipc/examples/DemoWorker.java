package io.mmipc.examples;

import io.mmipc.codec.Codecs;
import io.mmipc.queue.QueueShutdownException;
import io.mmipc.queue.SharedJoinableQueue;
import io.mmipc.queue.SharedQueue;

/**
 * A worker process of {@link WorkerPoolDemo}: opens the demo's queues by name, squares each job, puts
 * {@code pid:job:square} on the result queue, marks the job done, and exits when the job queue is shut down.
 */
public final class DemoWorker {
    private DemoWorker() {
    }

    /**
     * @param args the demo run's name prefix
     * @throws Exception if the queues cannot be opened
     */
    public static void main(String[] args) throws Exception {
        String run = args[0];
        long pid = ProcessHandle.current().pid();
        try (SharedJoinableQueue<Long> jobs = SharedJoinableQueue.open(run + "-jobs", Codecs.int64());
             SharedQueue<String> results = SharedQueue.open(run + "-results", Codecs.string())) {
            while (true) {
                long n;
                try {
                    n = jobs.get();
                } catch (QueueShutdownException e) {
                    return;
                }
                results.put(pid + ":" + n + ":" + n * n);
                jobs.taskDone();
            }
        }
    }
}
