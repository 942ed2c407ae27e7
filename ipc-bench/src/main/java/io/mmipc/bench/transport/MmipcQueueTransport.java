package io.mmipc.bench.transport;

import io.mmipc.WaitMode;
import io.mmipc.codec.Codecs;
import io.mmipc.queue.SharedQueue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * mmipc's {@link SharedQueue}, one producer and one consumer per queue: a queue per direction
 * ({@code to-peer}, {@code to-client}, {@link #CAPACITY} bytes each, so every benchmarked payload is stored
 * inline), moved with the zero-copy {@code putBytes(ByteBuffer)} / {@code takeBytes(ByteBuffer)} pair.
 * No JVM flags: that is the product's promise. The idle mode is the queue's {@link WaitMode}
 * (default {@code auto}).
 */
public final class MmipcQueueTransport implements Transport {
    /** Ring capacity of each queue, as the Agrona ring's. */
    static final long CAPACITY = 16L * Protocol.MAX_MESSAGE;

    @Override
    public String name() {
        return "mmipc-queue";
    }

    @Override
    public List<String> idleModes() {
        return List.of("auto", "spin", "doorbell", "futex");
    }

    @Override
    public Channel serve(Path dir, String idle, Runnable ready) throws IOException {
        WaitMode mode = mode(idle);
        SharedQueue<byte[]> in = SharedQueue.builder("to-peer", Codecs.bytes()).directory(dir).capacity(CAPACITY)
                .waitMode(mode).create();
        SharedQueue<byte[]> out = SharedQueue.builder("to-client", Codecs.bytes()).directory(dir)
                .capacity(CAPACITY).waitMode(mode).create();
        ready.run();
        return new Queues(in, out);
    }

    @Override
    public Channel connect(Path dir, String idle) throws IOException {
        WaitMode mode = mode(idle);
        SharedQueue<byte[]> out = SharedQueue.builder("to-peer", Codecs.bytes()).directory(dir).waitMode(mode).open();
        SharedQueue<byte[]> in = SharedQueue.builder("to-client", Codecs.bytes()).directory(dir).waitMode(mode).open();
        return new Queues(in, out);
    }

    private static WaitMode mode(String idle) {
        return WaitMode.valueOf(idle.toUpperCase(Locale.ROOT));
    }

    /** Takes from one queue, puts to the other. */
    private static final class Queues implements Channel {
        private final SharedQueue<byte[]> in;
        private final SharedQueue<byte[]> out;

        Queues(SharedQueue<byte[]> in, SharedQueue<byte[]> out) {
            this.in = in;
            this.out = out;
        }

        @Override
        public void send(ByteBuffer message) throws IOException {
            try {
                out.putBytes(message);
            } catch (InterruptedException e) {
                throw interrupted(e);
            }
        }

        @Override
        public int receive(ByteBuffer dst) throws IOException {
            dst.clear();
            try {
                int length = in.takeBytes(dst);
                dst.flip();
                return length;
            } catch (InterruptedException e) {
                throw interrupted(e);
            }
        }

        @Override
        public void close() {
            in.close();
            out.close();
        }
    }

    static InterruptedIOException interrupted(InterruptedException e) {
        Thread.currentThread().interrupt();
        InterruptedIOException io = new InterruptedIOException("interrupted while waiting");
        io.initCause(e);
        return io;
    }
}
