package io.mmipc.bench.transport;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;

/**
 * A {@link Channel} over a connected, blocking stream {@link SocketChannel} (Unix-domain or TCP): each
 * message is a 4-byte little-endian length and the bytes. A send is one gathering write; receives go through
 * a read-ahead buffer, so a burst of small messages costs one {@code read} call, not two per message.
 * Waiting is the kernel's: a blocked reader uses no CPU.
 */
final class SocketStreamChannel implements Channel {
    private static final int READ_AHEAD = 256 * 1024;

    private final SocketChannel channel;
    private final ByteBuffer header = ByteBuffer.allocateDirect(4).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer[] frame = new ByteBuffer[2];
    /** Bytes read but not yet handed out, between position and limit. */
    private final ByteBuffer ahead = ByteBuffer.allocateDirect(READ_AHEAD).order(ByteOrder.LITTLE_ENDIAN);

    SocketStreamChannel(SocketChannel channel) throws IOException {
        channel.configureBlocking(true);
        this.channel = channel;
        frame[0] = header;
        ahead.flip();
    }

    @Override
    public void send(ByteBuffer message) throws IOException {
        header.clear();
        header.putInt(0, message.remaining());
        frame[1] = message;
        long left = 4L + message.remaining();
        while (left > 0) {
            left -= channel.write(frame);
        }
        frame[1] = null;
    }

    @Override
    public int receive(ByteBuffer dst) throws IOException {
        fill(4);
        int length = ahead.getInt();
        dst.clear();
        int buffered = Math.min(length, ahead.remaining());
        int limit = ahead.limit();
        ahead.limit(ahead.position() + buffered);
        dst.put(ahead);
        ahead.limit(limit);
        dst.limit(length);
        while (dst.hasRemaining()) {
            if (channel.read(dst) < 0) {
                throw new EOFException("peer closed the socket in a message");
            }
        }
        dst.flip();
        return length;
    }

    /** Makes at least {@code n} bytes available in {@link #ahead}. */
    private void fill(int n) throws IOException {
        if (ahead.remaining() >= n) {
            return;
        }
        ahead.compact();
        while (ahead.position() < n) {
            if (channel.read(ahead) < 0) {
                throw new EOFException("peer closed the socket");
            }
        }
        ahead.flip();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
