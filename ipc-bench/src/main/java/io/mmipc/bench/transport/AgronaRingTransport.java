package io.mmipc.bench.transport;

import org.agrona.IoUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * The floor: Agrona's {@link OneToOneRingBuffer} over a memory-mapped file, one ring per direction
 * ({@code to-peer.ring}, {@code to-client.ring}), polled with an {@link IdleStrategies idle strategy}
 * (default busy-spin). {@link UnsafeBuffer} needs {@link #FLAGS} in both JVMs.
 */
public final class AgronaRingTransport implements Transport {
    /** The JVM flag Agrona 2.6's {@code UnsafeBuffer} needs on JDK 17 and 25. */
    public static final String FLAGS = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";
    /** Ring capacity: its largest message is an eighth of it, two {@link Protocol#MAX_MESSAGE}s. */
    static final int CAPACITY = 16 * Protocol.MAX_MESSAGE;
    private static final int MSG_TYPE = 1;

    @Override
    public String name() {
        return "agrona";
    }

    @Override
    public List<String> jvmFlags() {
        return List.of(FLAGS);
    }

    @Override
    public List<String> idleModes() {
        return IdleStrategies.NAMES;
    }

    @Override
    public Channel serve(Path dir, String idle, Runnable ready) throws IOException {
        long length = CAPACITY + RingBufferDescriptor.TRAILER_LENGTH;
        MappedByteBuffer out = IoUtil.mapNewFile(dir.resolve("to-client.ring").toFile(), length);
        MappedByteBuffer in = IoUtil.mapNewFile(dir.resolve("to-peer.ring").toFile(), length);
        Ring t = new Ring(in, out, IdleStrategies.of(idle));
        ready.run();
        return t;
    }

    @Override
    public Channel connect(Path dir, String idle) throws IOException {
        MappedByteBuffer out = IoUtil.mapExistingFile(dir.resolve("to-peer.ring").toFile(), "to-peer");
        MappedByteBuffer in = IoUtil.mapExistingFile(dir.resolve("to-client.ring").toFile(), "to-client");
        return new Ring(in, out, IdleStrategies.of(idle));
    }

    /** Two rings, one mapped file each. */
    private static final class Ring implements Channel, MessageHandler {
        private final MappedByteBuffer inMap;
        private final MappedByteBuffer outMap;
        private final RingBuffer in;
        private final RingBuffer out;
        private final IdleStrategy idle;
        private final UnsafeBuffer src = new UnsafeBuffer(0, 0);
        private ByteBuffer dst;
        private int received;

        Ring(MappedByteBuffer inMap, MappedByteBuffer outMap, IdleStrategy idle) {
            this.inMap = inMap;
            this.outMap = outMap;
            this.in = new OneToOneRingBuffer(new UnsafeBuffer(inMap));
            this.out = new OneToOneRingBuffer(new UnsafeBuffer(outMap));
            this.idle = idle;
        }

        @Override
        public void send(ByteBuffer message) throws IOException {
            src.wrap(message, message.position(), message.remaining());
            idle.reset();
            while (!out.write(MSG_TYPE, src, 0, message.remaining())) {
                idle.idle();
            }
        }

        @Override
        public int receive(ByteBuffer dst) throws IOException {
            this.dst = dst;
            received = -1;
            idle.reset();
            while (in.read(this, 1) == 0) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new EOFException("interrupted while waiting for a message");
                }
                idle.idle();
            }
            dst.clear().limit(received);
            return received;
        }

        @Override
        public void onMessage(int msgTypeId, MutableDirectBuffer buffer, int index, int length) {
            buffer.getBytes(index, dst, 0, length);
            received = length;
        }

        @Override
        public void close() {
            IoUtil.unmap(inMap);
            IoUtil.unmap(outMap);
        }
    }
}
