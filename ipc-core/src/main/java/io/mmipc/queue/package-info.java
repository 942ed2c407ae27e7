/**
 * Queues shared by processes: {@link io.mmipc.queue.SharedQueue} (Python's {@code multiprocessing.Queue},
 * a {@link java.util.concurrent.BlockingQueue}) and {@link io.mmipc.queue.SharedJoinableQueue}
 * ({@code JoinableQueue}), created and opened through {@link io.mmipc.queue.QueueBuilder}.
 */
package io.mmipc.queue;
