/**
 * Example 3: seventy processes decrement a shared int with and without its lock; a child fills a shared array
 * in place ({@code scripts/example counter}).
 */
package io.mmipc.examples.counter;
