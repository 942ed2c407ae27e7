package io.mmipc.bench.transport;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.rollcycles.RollCycleArithmetic;
import net.openhft.chronicle.threads.Pauser;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.IdleStrategy;

import java.io.EOFException;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * Chronicle Queue: one queue (a folder of cycle files) per direction, an appender in one process and a
 * tailer in the other, the tailer polling with an {@link IdleStrategies idle strategy} (default busy-spin).
 * Needs {@link #FLAGS} in both JVMs.
 *
 * <p>Chronicle keeps every message, so at benchmark rates it would fill {@code /dev/shm} within a trial.
 * The queues therefore roll every second ({@link #ROLL_CYCLE}, Chronicle's hourly indexing: 4096 entries,
 * every 256th message) and the reading side deletes each cycle file once its tailer has left it.
 */
public final class ChronicleTransport implements Transport {
    /** Chronicle Queue 2026.4's flags (FACTS.md), one constant each so benchmark annotations can name them. */
    public static final String EXPORT_REF = "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED";
    /** See {@link #EXPORT_REF}. */
    public static final String EXPORT_NIO = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED";
    /** See {@link #EXPORT_REF}. */
    public static final String OPEN_REFLECT = "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED";
    /** Without it Chronicle tries to reach the network and writes files in the home folder. */
    public static final String NO_ANALYTICS = "-Dchronicle.analytics.disable=true";
    /** Keeps Chronicle's start-up banner quiet. */
    public static final String NO_ANNOUNCER = "-Dchronicle.announcer.disable=true";
    /** All of them, for the peer JVM; the Chronicle benchmarks' {@code @Fork(jvmArgsAppend)} lists the same. */
    public static final List<String> FLAGS = List.of(EXPORT_REF, EXPORT_NIO, OPEN_REFLECT, NO_ANALYTICS, NO_ANNOUNCER);
    /** One-second cycles with production-like index spacing. */
    static final RollCycle ROLL_CYCLE = new SecondlyRollCycle();
    private static final long BLOCK_SIZE = 64L * Protocol.MAX_MESSAGE;

    @Override
    public String name() {
        return "chronicle";
    }

    @Override
    public List<String> jvmFlags() {
        return FLAGS;
    }

    @Override
    public List<String> idleModes() {
        return IdleStrategies.NAMES;
    }

    @Override
    public Channel serve(Path dir, String idle, Runnable ready) {
        Queues t = new Queues(dir.resolve("to-peer"), dir.resolve("to-client"), idle);
        ready.run();
        return t;
    }

    @Override
    public Channel connect(Path dir, String idle) {
        return new Queues(dir.resolve("to-client"), dir.resolve("to-peer"), idle);
    }

    private static SingleChronicleQueue open(Path dir, boolean reader, String idle) {
        SingleChronicleQueueBuilder b = SingleChronicleQueueBuilder.binary(dir).rollCycle(ROLL_CYCLE)
                .blockSize(BLOCK_SIZE);
        if (idle.equals("spin")) {
            // Chronicle's own waits (a header the other process is still writing) otherwise use its balanced
            // pauser, which sleeps up to 20 ms: a 64 KiB round trip then takes ~8 ms.
            b.pauserSupplier(Pauser::timedBusy);
        }
        if (reader) {
            b.storeFileListener((cycle, file) -> deleteQuietly(file));
        }
        return b.build();
    }

    private static void deleteQuietly(File file) {
        if (!file.delete() && file.exists()) {
            System.err.println("chronicle: could not delete released cycle file " + file);
        }
    }

    /** An inbound queue read by a tailer, an outbound one written by an appender. */
    private static final class Queues implements Channel {
        private final SingleChronicleQueue inQueue;
        private final SingleChronicleQueue outQueue;
        private final IdleStrategy idle;
        private ExcerptTailer tailer;
        private ExcerptAppender appender;
        /** Chronicle views of the last buffers seen, for bulk copies (its ByteBuffer methods copy byte by byte). */
        private ByteBuffer srcBuffer;
        private BytesStore<?, ByteBuffer> src;
        private ByteBuffer dstBuffer;
        private Bytes<ByteBuffer> dst;

        Queues(Path in, Path out, String idle) {
            this.inQueue = open(in, true, idle);
            this.outQueue = open(out, false, idle);
            this.idle = IdleStrategies.of(idle);
        }

        @Override
        public void send(ByteBuffer message) {
            if (appender == null) {
                appender = outQueue.createAppender(); // on the thread that uses it: Chronicle checks
            }
            if (message != srcBuffer) {
                srcBuffer = message;
                src = BytesStore.wrap(message);
            }
            try (DocumentContext dc = appender.writingDocument()) {
                dc.wire().bytes().write(src, (long) message.position(), (long) message.remaining());
            }
        }

        @Override
        public int receive(ByteBuffer into) throws IOException {
            if (tailer == null) {
                tailer = inQueue.createTailer();
            }
            if (into != dstBuffer) {
                dstBuffer = into;
                dst = Bytes.wrapForWrite(into);
            }
            idle.reset();
            while (true) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (dc.isPresent()) {
                        Bytes<?> bytes = dc.wire().bytes();
                        int length = (int) bytes.readRemaining();
                        dst.clear();
                        dst.write(bytes, bytes.readPosition(), (long) length);
                        into.clear().limit(length);
                        return length;
                    }
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new EOFException("interrupted while waiting for a message");
                }
                idle.idle();
            }
        }

        @Override
        public void close() {
            if (appender != null) {
                appender.close();
            }
            if (tailer != null) {
                tailer.close();
            }
            inQueue.close();
            outQueue.close();
        }
    }

    /** One-second cycles (file names as Chronicle's own test cycle), indexing like {@code FAST_HOURLY}. */
    private static final class SecondlyRollCycle implements RollCycle {
        private final RollCycleArithmetic arithmetic = RollCycleArithmetic.of(4096, 256);

        @Override
        public String format() {
            return "yyyyMMdd-HHmmss";
        }

        @Override
        public int lengthInMillis() {
            return 1000;
        }

        @Override
        public int defaultIndexCount() {
            return arithmetic.indexCount();
        }

        @Override
        public int defaultIndexSpacing() {
            return arithmetic.indexSpacing();
        }

        @Override
        public long toIndex(int cycle, long sequenceNumber) {
            return arithmetic.toIndex(cycle, sequenceNumber);
        }

        @Override
        public long toSequenceNumber(long index) {
            return arithmetic.toSequenceNumber(index);
        }

        @Override
        public int toCycle(long index) {
            return arithmetic.toCycle(index);
        }

        @Override
        public long maxMessagesPerCycle() {
            return arithmetic.maxMessagesPerCycle();
        }
    }
}
