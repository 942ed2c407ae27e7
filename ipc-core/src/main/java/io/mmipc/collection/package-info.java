/**
 * Python's {@code Manager().dict()} and {@code Manager().list()} without the server: {@link
 * io.mmipc.collection.SharedMap} (a {@link java.util.concurrent.ConcurrentMap}) and {@link
 * io.mmipc.collection.SharedList} (a {@link java.util.List}) shared by processes in mapped memory, opened by
 * name, with atomic updates across processes, lock-free reads, growth as they fill, and no corruption or
 * stuck lock when a process is killed mid-update. See {@code docs/collections.md}.
 */
package io.mmipc.collection;
