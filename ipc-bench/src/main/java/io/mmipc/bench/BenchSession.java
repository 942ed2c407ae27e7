package io.mmipc.bench;

import io.mmipc.bench.transport.Channel;
import io.mmipc.bench.transport.PeerProcess;
import io.mmipc.bench.transport.Protocol;
import io.mmipc.bench.transport.Transports;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The benchmark's side of one trial: a peer process, the client's end of its channel, and the message and
 * receive buffers (direct, allocated once). Used by one thread.
 */
public final class BenchSession implements AutoCloseable {
    /** A throughput batch carries about this many bytes (at most {@link #MAX_BATCH} messages). */
    static final int BATCH_BYTES = 4 << 20;
    /** Most messages in a throughput batch. */
    static final int MAX_BATCH = 1000;
    /**
     * Round trips done when the session opens, so first-use costs (lazily made appenders and tailers, files
     * created on first write, the first wake-up) fall outside every measured iteration, even with no warm-up.
     */
    static final int OPENING_ROUND_TRIPS = 20;

    private final PeerProcess peer;
    private final Channel channel;
    private final ByteBuffer message;
    private final ByteBuffer in = Protocol.receiveBuffer();
    private final int size;

    private BenchSession(PeerProcess peer, Channel channel, int size) {
        this.peer = peer;
        this.channel = channel;
        this.size = size;
        this.message = Protocol.message(size);
        in.order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Starts a peer for {@code spec} and connects to it.
     *
     * @param spec transport, {@code name[:idle]}
     * @param size message size in bytes
     * @return the open session
     * @throws IOException if the peer or the channel fails
     */
    public static BenchSession open(String spec, int size) throws IOException {
        PeerProcess peer = PeerProcess.start(Transports.parse(spec));
        Channel channel;
        try {
            channel = peer.connect();
        } catch (IOException | RuntimeException e) {
            peer.close();
            throw e;
        }
        BenchSession session = new BenchSession(peer, channel, size);
        try {
            for (int i = 0; i < OPENING_ROUND_TRIPS; i++) {
                session.roundTrip();
            }
        } catch (IOException | RuntimeException e) {
            session.close();
            throw e;
        }
        return session;
    }

    /**
     * @param size message size in bytes
     * @return messages per throughput batch: about {@link #BATCH_BYTES}, 1 to {@link #MAX_BATCH}
     */
    public static int batchFor(int size) {
        return Math.max(1, Math.min(MAX_BATCH, BATCH_BYTES / size));
    }

    /**
     * Sends one message and waits for the peer's echo.
     *
     * @return the echo's length
     * @throws IOException if the channel fails or the echo has the wrong length
     */
    public int roundTrip() throws IOException {
        send(Protocol.ECHO);
        int n = channel.receive(in);
        if (n != size) {
            throw new IOException("echo length differs: expected=" + size + ", actual=" + n);
        }
        return n;
    }

    /**
     * Sends {@code n} messages one way; the last asks for an acknowledgement, which is awaited, so the batch
     * ends when the peer has received all of it.
     *
     * @param n messages in the batch, at least 1
     * @throws IOException if the channel fails or the peer counted a different number
     */
    public void batch(int n) throws IOException {
        for (int i = 1; i < n; i++) {
            send(Protocol.SINK);
        }
        send(Protocol.ACK);
        channel.receive(in);
        long counted = in.getLong(0);
        if (counted != n) {
            throw new IOException("peer counted a different batch: sent=" + n + ", counted=" + counted);
        }
    }

    private void send(byte op) throws IOException {
        message.clear();
        message.put(0, op);
        channel.send(message);
    }

    /** Asks the peer to stop, closes the channel, waits for (or kills) the peer and deletes its folder. */
    @Override
    public void close() {
        try {
            send(Protocol.STOP);
        } catch (IOException | RuntimeException e) {
            System.err.println("could not stop the peer " + peer.spec() + " politely: " + e);
        }
        try {
            channel.close();
        } catch (IOException | RuntimeException e) {
            System.err.println("closing the channel " + peer.spec() + ": " + e);
        }
        peer.close();
    }
}
