/**
 * Internal synchronization building blocks over shared memory: the robust mutex, the lock block with thread
 * ownership ({@link io.mmipc.internal.sync.LockCore}), and one layout descriptor per synchronization and
 * value object file.
 */
package io.mmipc.internal.sync;
