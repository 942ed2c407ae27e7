package io.mmipc.pipe;

import io.mmipc.internal.pipe.EndWatch;
import io.mmipc.internal.ring.Ring;
import io.mmipc.internal.ring.Spill;

import java.io.EOFException;

/**
 * The receiving half of a connection: takes messages from the ring its end reads, and reports end-of-file
 * once no live process holds the other end and the ring is drained.
 *
 * <p>Why that end-of-file is never early: a writer's {@code close} lowers its end's count with a volatile
 * write after every message it published, so a reader that sees no holder (volatile read) and then finds the
 * ring empty has seen all of them. A writer killed mid-message leaves a claim that the ring skips once it
 * sees the writer dead ({@link Ring#take} returns {@link Ring#IN_PROGRESS} until then).
 */
final class Inbound {
    private static final Ring.Sink NO_OP = message -> { };

    private final PipeConnection<?> conn;
    private final Ring ring;
    private final Spill spill;
    private final EndWatch writers;

    Inbound(PipeConnection<?> conn, Ring ring, Spill spill, EndWatch writers) {
        this.conn = conn;
        this.ring = ring;
        this.spill = spill;
        this.writers = writers;
    }

    /**
     * Takes one message into {@code sink} (if the sink throws, the message stays first in the ring).
     *
     * @param deadlineNanos see {@link PipeConnection#deadline}
     * @return true if a message was taken, false if the deadline passed first
     * @throws EOFException if the other end is gone and everything it sent was taken
     */
    boolean receive(Ring.Sink sink, long deadlineNanos) throws EOFException, InterruptedException {
        while (true) {
            conn.ensureOpen();
            if (ring.take(sink, spill) == Ring.TAKEN) {
                return true;
            }
            boolean gone = writers.gone();
            if (gone) {
                int r = ring.take(sink, spill);
                if (r == Ring.TAKEN) {
                    return true;
                }
                if (r == Ring.EMPTY) {
                    throw new EOFException(conn.label() + ": end of file: no process holds end "
                            + conn.end().other() + " and everything it sent was read");
                }
            }
            if (PipeConnection.expired(deadlineNanos)) {
                return false;
            }
            ring.notEmpty().await(() -> conn.isClosed() || ring.headReady() || writers.gone() != gone,
                    deadlineNanos, EndWatch.RECHECK_NANOS);
        }
    }

    /**
     * Python's {@code poll}: waits until a receive would not block, that is a message is there or the
     * other end is gone (end-of-file is readable). Takes nothing.
     *
     * @return true if readable, false if the deadline passed first
     */
    boolean poll(long deadlineNanos) throws InterruptedException {
        while (true) {
            conn.ensureOpen();
            if (ring.headReady() && ring.peek(NO_OP, spill) == Ring.TAKEN) {
                return true;
            }
            boolean gone = writers.gone();
            if (gone && ring.peek(NO_OP, spill) != Ring.IN_PROGRESS) {
                return true;
            }
            if (PipeConnection.expired(deadlineNanos)) {
                return false;
            }
            ring.notEmpty().await(() -> conn.isClosed() || ring.headReady() || writers.gone() != gone,
                    deadlineNanos, EndWatch.RECHECK_NANOS);
        }
    }
}
