package io.mmipc.pipe;

import io.mmipc.codec.Codec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Python's {@code multiprocessing.Pipe} for Java: two connected ends, {@link PipeConnection}s, between
 * processes, over rings in one memory-mapped file instead of an OS pipe.
 *
 * <p>{@code Pipe(duplex=True)} becomes {@link #create(String, Codec)}: both ends send and receive.
 * {@code r, w = Pipe(duplex=False)} becomes {@link #create(String, Codec, boolean) create(name, codec, false)}:
 * {@link #first()} only receives, {@link #second()} only sends. The pipe has a name, so another process
 * connects to an end with {@link #open(String, Codec, PipeEnd)} instead of inheriting it through
 * {@code fork}:
 *
 * <pre>{@code
 * // parent: create the pipe holding only its own end, start a worker, talk
 * try (PipeConnection<String> conn = SharedPipe.builder("jobs", Codecs.string()).create(PipeEnd.FIRST)) {
 *     startWorker("jobs");
 *     conn.send("hello");
 *     String reply = conn.recv();          // EOFException once the worker closed its end or died
 *     conn.unlink();
 * }
 * // worker process
 * try (PipeConnection<String> conn = SharedPipe.open("jobs", Codecs.string(), PipeEnd.SECOND)) {
 *     conn.send(conn.recv().toUpperCase());
 * }
 * }</pre>
 *
 * <p><b>Who holds an end.</b> Each open connection is one handle on one end; the pipe's process registry
 * counts handles per end per process, so end-of-file and broken-pipe need no Python-style bookkeeping of
 * closing the unused end in every process: a process holds only the ends it opened, and a process that
 * dies stops holding them. Any number of processes may open either end, any number of times (several
 * senders on one end are safe; see {@link PipeConnection} for ordering). An end that has never been opened
 * is awaited rather than treated as closed, so {@link PipeBuilder#create(PipeEnd)} followed by a peer's
 * {@link #open} has no start-up race. A pair made by {@link #create(String, Codec)} holds both ends in this
 * process: close the one you hand over once its new holder has opened it.
 *
 * <p>This object is the pair returned by a create; closing it closes both ends. The file stays until
 * {@link #unlink()} (or {@link io.mmipc.SharedObjects#remove}).
 *
 * @param <T> the type of object the ends send and receive
 */
public final class SharedPipe<T> implements AutoCloseable {
    private final PipeConnection<T> first;
    private final PipeConnection<T> second;

    SharedPipe(PipeConnection<T> first, PipeConnection<T> second) {
        this.first = first;
        this.second = second;
    }

    /**
     * Starts building a pipe named {@code name}: then {@code create()}, {@code create(end)},
     * {@code open(end)} or {@code openOrCreate(end)}.
     *
     * @param name  the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @param codec how objects become bytes (see {@link io.mmipc.codec.Codecs})
     * @param <T>   the object type
     * @return the builder
     */
    public static <T> PipeBuilder<T> builder(String name, Codec<T> codec) {
        return new PipeBuilder<>(name, codec);
    }

    /**
     * Python's {@code Pipe()}: creates a duplex pipe with default settings in the default folder.
     *
     * @param <T> the type of the objects sent
     * @param name the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @param codec encodes and decodes the objects
     * @return the pipe, both ends held by this process
     * @throws IOException if the file cannot be created or mapped ({@link java.nio.file.FileAlreadyExistsException} if
     *                     the name is taken)
     */
    public static <T> SharedPipe<T> create(String name, Codec<T> codec) throws IOException {
        return builder(name, codec).create();
    }

    /**
     * Python's {@code Pipe(duplex)}: creates a duplex or simplex pipe in the default folder.
     *
     * @param <T> the type of the objects sent
     * @param name the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @param codec encodes and decodes the objects
     * @param duplex true for a duplex pipe, false for a simplex one
     * @return the pipe, both ends held by this process
     * @throws IOException if the file cannot be created or mapped ({@link java.nio.file.FileAlreadyExistsException} if
     *                     the name is taken)
     */
    public static <T> SharedPipe<T> create(String name, Codec<T> codec, boolean duplex) throws IOException {
        return builder(name, codec).duplex(duplex).create();
    }

    /**
     * Opens one end of an existing pipe in the default folder.
     *
     * @param <T> the type of the objects sent
     * @param name the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @param codec encodes and decodes the objects
     * @param end the end to open
     * @return the connection of that end
     * @throws IOException if the file cannot be opened or mapped, or is not such an object ({@link
     *                     java.nio.file.NoSuchFileException} if there is none)
     */
    public static <T> PipeConnection<T> open(String name, Codec<T> codec, PipeEnd end) throws IOException {
        return builder(name, codec).open(end);
    }

    /** {@return Python's {@code conn1}: receive-only in a simplex pipe} */
    public PipeConnection<T> first() {
        return first;
    }

    /** {@return Python's {@code conn2}: send-only in a simplex pipe} */
    public PipeConnection<T> second() {
        return second;
    }

    /**
     * {@return the connection of end {@code end}}
     *
     * @param end which end
     */
    public PipeConnection<T> end(PipeEnd end) {
        return Objects.requireNonNull(end, "end") == PipeEnd.FIRST ? first : second;
    }

    /** {@return whether both ends send and receive} */
    public boolean isDuplex() {
        return first.isDuplex();
    }

    /** {@return the pipe's file} */
    public Path path() {
        return first.path();
    }

    /**
     * Removes the pipe's name and side files; open handles keep working.
     *
     * @throws IOException if the name cannot be removed
     */
    public void unlink() throws IOException {
        first.unlink();
    }

    /** Closes both ends (each idempotently). */
    @Override
    public void close() {
        first.close();
        second.close();
    }

    @Override
    public String toString() {
        return "SharedPipe[" + first + ", " + second + "]";
    }
}
