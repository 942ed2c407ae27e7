/**
 * Example 5: parallel extraction from generated CSV files with {@code SharedPool.imap} and a progress bar,
 * compared with one process ({@code scripts/example extract}).
 */
package io.mmipc.examples.extract;
