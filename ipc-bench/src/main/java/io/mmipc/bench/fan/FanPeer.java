package io.mmipc.bench.fan;

import io.mmipc.bench.transport.PeerMain;
import io.mmipc.bench.transport.Protocol;
import io.mmipc.codec.Codecs;
import io.mmipc.queue.SharedQueue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * A producer or consumer process of the many-to-many queue benchmark ({@link FanSession}).
 *
 * <pre>
 * FanPeer producer &lt;folder&gt; &lt;message-size&gt; &lt;parent-pid&gt;
 * FanPeer consumer &lt;folder&gt; &lt;index&gt; &lt;parent-pid&gt;
 * </pre>
 * A producer takes a count from the {@code ctl} queue, puts that many messages into the {@code data} queue,
 * and repeats; a count of 0 makes it exit. A consumer takes from {@code data} and publishes its running count
 * in {@link FanCounters} after every message, until it takes a {@link Protocol#STOP} message. Both open
 * what the coordinator created, with mmipc's default waiting and no JVM flags.
 */
public final class FanPeer {
    private FanPeer() {
    }

    /**
     * @param args role, folder, size or index, parent pid
     * @throws Exception if a queue fails
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        PeerMain.watchParent(Long.parseLong(args[3]));
        if (args[0].equals("producer")) {
            produce(dir, Integer.parseInt(args[2]));
        } else {
            consume(dir, Integer.parseInt(args[2]));
        }
        System.exit(0);
    }

    private static void produce(Path dir, int size) throws Exception {
        try (SharedQueue<byte[]> ctl = SharedQueue.builder(FanSession.CTL, Codecs.bytes()).directory(dir).open();
             SharedQueue<byte[]> data = SharedQueue.builder(FanSession.DATA, Codecs.bytes()).directory(dir).open()) {
            ByteBuffer message = Protocol.message(size);
            ByteBuffer cmd = ByteBuffer.allocateDirect(Protocol.MIN_MESSAGE).order(ByteOrder.LITTLE_ENDIAN);
            PeerMain.announce();
            while (true) {
                cmd.clear();
                ctl.takeBytes(cmd);
                long n = cmd.getLong(0);
                if (n <= 0) {
                    return;
                }
                for (long i = 0; i < n; i++) {
                    message.clear();
                    data.putBytes(message);
                }
            }
        }
    }

    private static void consume(Path dir, int index) throws Exception {
        FanCounters counters = FanCounters.map(dir.resolve(FanSession.COUNTERS), FanSession.CONSUMERS);
        try (SharedQueue<byte[]> data = SharedQueue.builder(FanSession.DATA, Codecs.bytes()).directory(dir).open()) {
            ByteBuffer in = Protocol.receiveBuffer();
            long count = 0;
            PeerMain.announce();
            while (true) {
                in.clear();
                data.takeBytes(in);
                if (in.get(0) == Protocol.STOP) {
                    return;
                }
                counters.set(index, ++count);
            }
        }
    }
}
