/**
 * The pipe's shared-memory layout (two rings for a duplex pipe, one for a simplex pipe, and a table of
 * ends), the watch that tells whether any live process still holds an end, and the cleanup run when a
 * process holding an end dies.
 */
package io.mmipc.internal.pipe;
