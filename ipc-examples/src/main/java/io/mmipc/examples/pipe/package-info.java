/**
 * Example 2: a one-way pipe stream ended by {@link java.io.EOFException}, and request/reply on a duplex pipe
 * ({@code scripts/example pipe-stream}).
 */
package io.mmipc.examples.pipe;
