/**
 * Object files: the common header, creation that publishes a file only once complete, validation on open,
 * owner-only folders and files, and the per-object process registry.
 */
package io.mmipc.internal.file;
