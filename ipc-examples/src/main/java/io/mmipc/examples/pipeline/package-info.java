/**
 * Example 4: an asynchronous inference pipeline (network, preprocessing pool, micro-batching inference) over
 * queues, with throughput and latency percentiles ({@code scripts/example pipeline}).
 */
package io.mmipc.examples.pipeline;
