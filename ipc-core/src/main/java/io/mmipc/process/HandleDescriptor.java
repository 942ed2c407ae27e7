package io.mmipc.process;

import java.io.Serializable;

/**
 * What it takes to reopen a shared-object handle in another process: the kind of object, its file, how its
 * items are encoded and, for a pipe connection, which end. Handles are written as this record when they
 * cross to a child (see {@link TaskSerializer}) and reopened there; {@link SharedHandles#describe} turns one
 * into a portable string.
 *
 * @param kind      the object's kind
 * @param path      the object's file (absolute)
 * @param codecName a built-in codec's name ({@link CodecNames#nameOf}), or null
 * @param codec     a serializable codec of the caller's when it is not a built-in one, or null
 * @param end       the pipe end ({@code FIRST}/{@code SECOND}) for a pipe connection, else null
 */
record HandleDescriptor(HandleKind kind, String path, String codecName, Serializable codec, String end)
        implements Serializable {
}
