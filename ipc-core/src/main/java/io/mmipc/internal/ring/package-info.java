/**
 * The queue's shared-memory ring: its layout descriptor, the lock-free claim and publish of producers,
 * the robust consumer side, task accounting for joinable queues, spill files for very large messages, and
 * the cleanup run when a process leaves or dies.
 */
package io.mmipc.internal.ring;
