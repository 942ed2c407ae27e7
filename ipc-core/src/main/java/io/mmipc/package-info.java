/**
 * mmipc: Python's {@code multiprocessing} primitives for Java, shared between JVM processes through
 * memory-mapped files.
 *
 * <p>Every shared object is one file in a folder ({@link io.mmipc.SharedObjects#defaultDirectory()}),
 * created owner-only, opened by name from any process of the same user. The primitives live in packages by
 * concern: {@link io.mmipc.queue} (Queue, JoinableQueue), {@link io.mmipc.codec} (how items become bytes).
 * How blocked calls wait is chosen by {@link io.mmipc.WaitMode}.
 */
package io.mmipc;
