/** Internal synchronization building blocks over shared memory, such as the robust mutex. */
package io.mmipc.internal.sync;
