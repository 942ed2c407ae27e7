/**
 * Diagnostics: the loggers mmipc reports recovery events and swallowed failures on, through
 * {@link java.lang.System.Logger} (no logging dependency), named by concern. See {@link io.mmipc.internal.log.Log}.
 */
package io.mmipc.internal.log;
