package io.mmipc.bench.fan;

import io.mmipc.bench.transport.PeerProcess;
import io.mmipc.bench.transport.Protocol;
import io.mmipc.codec.Codecs;
import io.mmipc.queue.SharedQueue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The coordinator of the many-to-many queue benchmark: {@value #PRODUCERS} producer and {@value #CONSUMERS}
 * consumer processes ({@link FanPeer}) sharing one mmipc {@link SharedQueue}, each message going to exactly one
 * consumer. A {@link #round} tells the producers (through a small {@code ctl} queue) to put a number of
 * messages and returns once the consumers' {@link FanCounters counters} show all of them taken, so a round is
 * timed end to end. This JVM only coordinates; the four peers get no JVM flags.
 */
public final class FanSession implements AutoCloseable {
    /** Producer processes. */
    public static final int PRODUCERS = 2;
    /** Consumer processes. */
    public static final int CONSUMERS = 2;
    static final String DATA = "data";
    static final String CTL = "ctl";
    static final String COUNTERS = "counters";
    private static final long CAPACITY = 16L * Protocol.MAX_MESSAGE;
    private static final long POLL_NANOS = 20_000;

    private final Path dir;
    private final SharedQueue<byte[]> data;
    private final SharedQueue<byte[]> ctl;
    private final FanCounters counters;
    private final List<PeerProcess> peers = new ArrayList<>();
    private final ByteBuffer cmd = ByteBuffer.allocateDirect(Protocol.MIN_MESSAGE).order(ByteOrder.LITTLE_ENDIAN);
    private long expected;

    private FanSession(Path dir) throws IOException {
        this.dir = dir;
        this.data = SharedQueue.builder(DATA, Codecs.bytes()).directory(dir).capacity(CAPACITY).create();
        this.ctl = SharedQueue.builder(CTL, Codecs.bytes()).directory(dir).create();
        this.counters = FanCounters.map(dir.resolve(COUNTERS), CONSUMERS);
    }

    /**
     * Creates the queues, starts the peers and runs one small round.
     *
     * @param size message size in bytes
     * @return the running session
     * @throws IOException if a peer or queue fails
     */
    public static FanSession open(int size) throws IOException {
        FanSession s = new FanSession(PeerProcess.newDir());
        try {
            for (int i = 0; i < CONSUMERS; i++) {
                s.peers.add(PeerProcess.start("consumer-" + i, FanPeer.class,
                        List.of("consumer", s.dir.toString(), Integer.toString(i)), s.dir));
            }
            for (int i = 0; i < PRODUCERS; i++) {
                s.peers.add(PeerProcess.start("producer-" + i, FanPeer.class,
                        List.of("producer", s.dir.toString(), Integer.toString(size)), s.dir));
            }
            s.round(10);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /**
     * Has every producer put {@code perProducer} messages (a producer that finishes early may take another's
     * share: only the total is fixed) and waits until the consumers have taken them all.
     *
     * @param perProducer messages per producer
     * @throws IOException if the consumers took more than were put, or on interrupt
     */
    public void round(long perProducer) throws IOException {
        expected += perProducer * PRODUCERS;
        for (int i = 0; i < PRODUCERS; i++) {
            command(perProducer);
        }
        long taken;
        while ((taken = counters.sum()) < expected) {
            LockSupport.parkNanos(POLL_NANOS);
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("interrupted in a round");
            }
        }
        if (taken != expected) {
            throw new IOException("consumers took more than was put: expected=" + expected + ", taken=" + taken);
        }
    }

    private void command(long n) throws IOException {
        cmd.clear();
        cmd.putLong(0, n);
        try {
            ctl.putBytes(cmd);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }

    /** Stops the producers (count 0) and the consumers (one STOP each), waits for them, removes the folder. */
    @Override
    public void close() {
        try {
            for (int i = 0; i < PRODUCERS; i++) {
                command(0);
            }
            ByteBuffer stop = Protocol.message(Protocol.MIN_MESSAGE);
            for (int i = 0; i < CONSUMERS; i++) {
                stop.clear();
                stop.put(0, Protocol.STOP);
                data.putBytes(stop);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            System.err.println("fan: could not stop the peers politely: " + e);
        }
        peers.forEach(PeerProcess::close);
        data.close();
        ctl.close();
        PeerProcess.deleteTree(dir);
    }
}
