package io.mmipc.pipe;

import io.mmipc.internal.pipe.EndWatch;
import io.mmipc.internal.ring.Ring;
import io.mmipc.internal.ring.Spill;

import java.nio.ByteBuffer;

/**
 * The sending half of a connection: puts messages into the ring the other end reads, lock-free among any
 * number of sending threads and processes, and refuses to send once no live process holds the other end.
 * Messages larger than {@link Ring#maxInlinePayload()} go through a spill file, as in the queue.
 */
final class Outbound {
    private final PipeConnection<?> conn;
    private final Ring ring;
    private final Spill spill;
    private final EndWatch readers;

    Outbound(PipeConnection<?> conn, Ring ring, Spill spill, EndWatch readers) {
        this.conn = conn;
        this.ring = ring;
        this.spill = spill;
        this.readers = readers;
    }

    /**
     * Sends the bytes of {@code payload} (position to limit; the position is advanced) as one message,
     * waiting for room.
     *
     * @throws BrokenPipeException if no live process holds the other end, now or while waiting
     */
    void send(ByteBuffer payload) throws BrokenPipeException, InterruptedException {
        conn.ensureOpen();
        checkReaders();
        int length = payload.remaining();
        if (length > ring.maxInlinePayload()) {
            sendSpilled(payload);
            return;
        }
        long pos = claim(length);
        boolean ok = false;
        try {
            ring.write(pos, payload, 0);
            ok = true;
        } finally {
            ring.publish(pos, length, !ok);
        }
    }

    private void sendSpilled(ByteBuffer payload) throws BrokenPipeException, InterruptedException {
        int length = payload.remaining();
        long id = spill.write(payload);
        long pos;
        try {
            pos = claim(8);
        } catch (BrokenPipeException | InterruptedException | RuntimeException e) {
            spill.delete(id);
            throw e;
        }
        boolean ok = false;
        try {
            ring.writeSpillReference(pos, id, length);
            ok = true;
        } finally {
            ring.publish(pos, 8, !ok);
        }
    }

    /** Claims a record, waiting while the ring is full; fails if the readers leave meanwhile. */
    private long claim(int length) throws BrokenPipeException, InterruptedException {
        long pos = ring.claim(length);
        if (pos >= 0) {
            return pos;
        }
        long[] claimed = {-1};
        while (true) {
            ring.notFull().await(() -> conn.isClosed() || (claimed[0] = ring.claim(length)) >= 0 || readers.gone(),
                    Long.MAX_VALUE, EndWatch.RECHECK_NANOS);
            if (claimed[0] >= 0) {
                return claimed[0];
            }
            conn.ensureOpen();
            checkReaders();
        }
    }

    private void checkReaders() throws BrokenPipeException {
        if (readers.gone()) {
            throw new BrokenPipeException(conn.label() + ": broken pipe: no process holds end "
                    + conn.end().other() + " to receive");
        }
    }
}
