/**
 * Example 6: pool tasks over their time limit are cancelled and reported while the rest finish
 * ({@code scripts/example timeouts}).
 */
package io.mmipc.examples.timeout;
