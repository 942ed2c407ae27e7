/**
 * Example 1: producers and consumers over a {@link io.mmipc.queue.SharedJoinableQueue}: {@code join()}, sentinels,
 * {@code shutdown()}, and a killed consumer reported by {@code join()} ({@code scripts/example producers-consumers}).
 */
package io.mmipc.examples.queue;
