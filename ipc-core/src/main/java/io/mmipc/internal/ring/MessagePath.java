package io.mmipc.internal.ring;

import io.mmipc.internal.sync.Deadlines;

import java.nio.ByteBuffer;

/**
 * The one message path over a {@link Ring}, shared by the queue and by each direction of a pipe: send
 * (inline, or through a side file when the payload is too large for the ring), receive and peek, each with
 * a deadline. What differs between a queue and a pipe — when sends are refused (a shutdown, no receiver
 * left), when the stream has ended (a shutdown, no sender left), a closed handle — is asked of its
 * {@link Gate}; the claim, write, publish and abort steps, the side files and the waiting are here.
 *
 * <p>Deadlines come from {@link Deadlines}: {@link Deadlines#FOREVER} waits as long as it takes; a deadline
 * already passed when the call starts means "do not wait" (the call still waits the microseconds another
 * consumer holds the consumer lock, as a take needs it, rather than report an empty queue).
 *
 * <p>Allocation: an inline send or a receive that finds its message at once allocates nothing here; only
 * a call that has to wait builds its wake-up condition.
 *
 * @param <X> the checked exception the gate throws ({@link RuntimeException} when there is none)
 */
public final class MessagePath<X extends Exception> {
    /** Re-check interval while a claim is stuck at the head (is its producer dead?). */
    private static final long DEAD_PEER_CHECK_NANOS = 10_000_000L;
    /**
     * Longest sleep of a waiting call before it re-checks anyway: a producer that claimed and died before
     * publishing sends no signal, nor does a peer that was killed, so this bounds how late such a change is
     * noticed (10 wake-ups a second while idle, well under 1 % of a core).
     */
    private static final long RECHECK_NANOS = 100_000_000L;

    /**
     * What, besides the ring, ends or blocks a call: the handle's state, and its peers'.
     *
     * @param <X> the checked exception it throws ({@link RuntimeException} when there is none)
     */
    public interface Gate<X extends Exception> {
        /**
         * Enters a call on the handle (see {@code SharedFile.enter}): until {@link #exit()}, closing the handle
         * wakes the call but does not unmap its memory.
         *
         * @throws IllegalStateException if the handle is closed
         */
        void enter();

        /** Leaves a call entered with {@link #enter()}. */
        void exit();

        /** @return whether the handle was closed (a blocked call then leaves through {@link #checkSend} or {@link #checkReceive}) */
        boolean closed();

        /** @return whether sends are refused now (cheap: asked in wake-up conditions) */
        boolean refusesSends();

        /**
         * Throws if a send must not proceed: the handle is closed, or sends are refused.
         *
         * @throws X the refusal (a shutdown, a broken pipe)
         */
        void checkSend() throws X;

        /**
         * Throws if a receive must not proceed even with messages queued: the handle is closed, or the
         * messages were discarded (an immediate shutdown).
         *
         * @throws X the reason
         */
        void checkReceive() throws X;

        /** @return whether no more messages can come (a shutdown; a pipe with no sender left) */
        boolean ended();

        /** @return the error of a receive that found the ring empty once {@link #ended()} */
        X endOfStream();
    }

    private final Ring ring;
    private final Spill spill;
    private final Gate<X> gate;

    /**
     * @param ring  the ring
     * @param spill its side files
     * @param gate  what ends or blocks calls besides the ring
     */
    public MessagePath(Ring ring, Spill spill, Gate<X> gate) {
        this.ring = ring;
        this.spill = spill;
        this.gate = gate;
    }

    /** @return the ring */
    public Ring ring() {
        return ring;
    }

    /** @return the largest payload carried in the ring itself; larger ones go through a side file */
    public int maxInlinePayload() {
        return ring.maxInlinePayload();
    }

    // ------------------------------------------------------------------ sending

    /**
     * Sends the bytes of {@code payload} (position to limit) as one message, waiting for room until the
     * deadline. The buffer's position is undefined afterwards.
     *
     * @param payload  the message
     * @param deadline see the class comment
     * @return true if sent, false if the deadline passed while the ring was full
     * @throws X                    if the gate refuses the send, now or while waiting
     * @throws InterruptedException if interrupted while waiting; nothing was sent
     */
    public boolean send(ByteBuffer payload, long deadline) throws X, InterruptedException {
        gate.enter();
        try {
            return sendEntered(payload, deadline);
        } finally {
            gate.exit();
        }
    }

    /**
     * Sends the remaining bytes of {@code src} like {@link #send}, copied straight from it (no duplicate of the
     * caller's buffer): on success its position is at its limit, otherwise (timeout, exception) where it was.
     */
    public boolean sendAndAdvance(ByteBuffer src, long deadline) throws X, InterruptedException {
        int position = src.position();
        boolean sent = false;
        try {
            sent = send(src, deadline);
            return sent;
        } finally {
            // The copy into the ring advances src; a send that did not happen leaves it as the caller had it.
            src.position(sent ? src.limit() : position);
        }
    }

    private boolean sendEntered(ByteBuffer payload, long deadline) throws X, InterruptedException {
        gate.checkSend();
        int length = payload.remaining();
        if (length > ring.maxInlinePayload()) {
            return sendSpilled(payload, deadline);
        }
        long pos = claim(length, deadline);
        if (pos < 0) {
            return false;
        }
        boolean written = false;
        try {
            ring.write(pos, payload);
            written = true;
        } finally {
            if (written) {
                ring.publish(pos, length);
            } else {
                ring.abort(pos, length);
            }
        }
        return true;
    }

    private boolean sendSpilled(ByteBuffer payload, long deadline) throws X, InterruptedException {
        int length = payload.remaining();
        long id = spill.write(payload);
        long pos = -1;
        try {
            pos = claim(QueueLayout.SPILL_REFERENCE, deadline);
        } finally {
            if (pos < 0) {
                spill.delete(id);
            }
        }
        if (pos < 0) {
            return false;
        }
        boolean written = false;
        try {
            ring.writeSpillReference(pos, id, length);
            written = true;
        } finally {
            if (written) {
                ring.publish(pos, QueueLayout.SPILL_REFERENCE);
            } else {
                ring.abort(pos, QueueLayout.SPILL_REFERENCE);
            }
        }
        return true;
    }

    /** Claims a record, waiting while the ring is full; -1 if the deadline passed first. */
    private long claim(int length, long deadline) throws X, InterruptedException {
        long pos = ring.claim(length);
        if (pos >= 0 || Deadlines.expired(deadline)) {
            return pos;
        }
        long[] claimed = {-1};
        while (true) {
            ring.notFull().await(() -> gate.closed() || gate.refusesSends() || (claimed[0] = ring.claim(length)) >= 0,
                    deadline, RECHECK_NANOS);
            if (claimed[0] >= 0) {
                return claimed[0];
            }
            gate.checkSend();
            if (Deadlines.expired(deadline)) {
                return -1;
            }
        }
    }

    // ------------------------------------------------------------------ receiving

    /**
     * Takes one message into {@code sink}, waiting until the deadline for one to arrive. If the sink throws,
     * the message stays first in the ring, unless it throws {@link Ring.Undeliverable}: then the message is
     * removed and the cause thrown.
     *
     * @param sink     receives the payload
     * @param deadline see the class comment
     * @return true if a message was taken, false if the deadline passed first
     * @throws X                    if the gate ends the receive (closed, discarded, or ended and drained)
     * @throws java.io.UncheckedIOException if a side file cannot be read now; the message stays queued
     * @throws InterruptedException if interrupted before or while waiting (a call that may wait); nothing
     *                              was taken
     */
    public boolean receive(Ring.Sink sink, long deadline) throws X, InterruptedException {
        boolean wait = !Deadlines.expired(deadline);
        if (wait && Thread.interrupted()) {
            // A call that may wait honours a pending interrupt before touching anything; one that may not
            // (poll(), drainTo) takes what is there, as ArrayBlockingQueue.poll() does.
            throw new InterruptedException();
        }
        gate.enter();
        try {
            return receiveEntered(sink, deadline, wait);
        } finally {
            gate.exit();
        }
    }

    private boolean receiveEntered(Ring.Sink sink, long deadline, boolean wait) throws X, InterruptedException {
        while (true) {
            gate.checkReceive();
            boolean ended = gate.ended();
            int taken = wait ? ring.takeWithinRecheck(sink, spill, deadline) : ring.take(sink, spill);
            if (taken == Ring.TAKEN) {
                return true;
            }
            if (taken == Ring.LOCK_BUSY) {
                if (Deadlines.expired(deadline)) {
                    return false;
                }
                // Another consumer holds the lock (Ring waits for it at most LOCK_RECHECK_NANOS at a time):
                // re-check the gate (a close of this handle), then wait again.
                continue;
            }
            if (ended && taken == Ring.EMPTY) {
                throw gate.endOfStream();
            }
            if (!ended && gate.ended()) {
                // Ended during the take: take again, since every message sent before the end is visible now.
                continue;
            }
            if (!wait || Deadlines.expired(deadline)) {
                return false;
            }
            ring.notEmpty().await(() -> gate.closed() || ring.headReady() || gate.ended() != ended,
                    deadline, taken == Ring.IN_PROGRESS ? DEAD_PEER_CHECK_NANOS : RECHECK_NANOS);
        }
    }

    /**
     * Reads the next message into {@code sink} without taking it (records of dead producers are skipped).
     *
     * @param sink receives the payload
     * @return whether there was a message
     * @throws X if the gate ends receives
     */
    public boolean peek(Ring.Sink sink) throws X {
        gate.enter();
        try {
            gate.checkReceive();
            return ring.peek(sink, spill) == Ring.TAKEN;
        } finally {
            gate.exit();
        }
    }



    /**
     * Takes the next message and drops it (for an immediate shutdown, which discards what is queued). The
     * caller has entered the handle.
     *
     * @return whether a message was removed
     */
    public boolean discardOne() {
        return ring.take(null, spill) == Ring.TAKEN;
    }

    /**
     * Python's {@code Connection.poll}: waits until a receive would not block, that is a message is there or
     * the stream has ended and is drained. Takes nothing.
     *
     * @param deadline see the class comment
     * @return true if a receive would not block, false if the deadline passed first
     * @throws X                    if the gate ends receives
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean poll(long deadline) throws X, InterruptedException {
        gate.enter();
        try {
            return pollEntered(deadline);
        } finally {
            gate.exit();
        }
    }

    private boolean pollEntered(long deadline) throws X, InterruptedException {
        boolean waited = false;
        while (true) {
            gate.checkReceive();
            boolean ended = gate.ended();
            int state = ring.headReady() || ended ? ring.peek(null, spill) : Ring.EMPTY;
            if (state == Ring.TAKEN || (ended && state == Ring.EMPTY)) {
                if (waited) {
                    // A publish wakes one sleeper, and this may have been it: a poll takes nothing, so a
                    // receiver asleep on the same end gets the wake-up (one volatile read when none sleeps).
                    ring.notEmpty().signalOne();
                }
                return true;
            }
            if (Deadlines.expired(deadline)) {
                return false;
            }
            waited = true;
            ring.notEmpty().await(() -> gate.closed() || ring.headReady() || gate.ended() != ended,
                    deadline, state == Ring.IN_PROGRESS ? DEAD_PEER_CHECK_NANOS : RECHECK_NANOS);
        }
    }
}
