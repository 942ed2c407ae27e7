/**
 * Object files: the common header, creation that publishes a file only once complete, validation on open
 * (header, codec identity, parameters) before attaching, owner and mode checks of folders and files
 * ({@link io.mmipc.internal.file.FileAccess}), the per-object process registry, opens that wait for a name,
 * and removal of abandoned objects that excludes concurrent opens.
 */
package io.mmipc.internal.file;
