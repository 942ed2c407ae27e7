/**
 * The queue's shared-memory ring: its layout descriptor, the lock-free claim and publish of producers,
 * the robust consumer side, task accounting for joinable queues, spill files for very large messages, the
 * scanning and crash-safe removal of records between head and tail ({@link io.mmipc.internal.ring.RecordScanner},
 * {@link io.mmipc.internal.ring.Removal}) behind a queue's iterator, and the cleanup run when a process leaves
 * or dies.
 */
package io.mmipc.internal.ring;
