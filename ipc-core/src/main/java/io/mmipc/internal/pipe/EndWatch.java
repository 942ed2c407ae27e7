package io.mmipc.internal.pipe;

import io.mmipc.internal.file.HeaderLayout;
import io.mmipc.internal.file.Registry;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.proc.ProcessIdentity;

/**
 * Tells whether any live process holds a handle on one end of a pipe, cheaply enough to ask on every send.
 *
 * <p>The full answer scans the registry (one counter per entry) and checks each holder's liveness in
 * {@code /proc}. It is cached and reused while the end's membership epoch is unchanged and the answer is
 * younger than {@link #RECHECK_NANOS}: opens and closes bump the epoch, so they are seen at once; a holder
 * killed without closing is seen by the first question asked after the cached answer expires.
 *
 * <p>An end that no process has ever opened counts as held (its peer is still expected), so a pipe created
 * with one end waits for the other side to connect instead of reporting end-of-file at once.
 *
 * <p>Thread-safe: the cache is one immutable snapshot in a volatile field.
 */
public final class EndWatch {
    /**
     * Longest time a cached "held" answer is trusted, bounding how late a killed holder is noticed. Also the
     * re-check period of a blocked receiver: 10 checks a second keep an idle reader well under 1 % of a core
     * (at 100 a second it used 3-10 %, measured), and the queue's idle get uses the same period.
     */
    public static final long RECHECK_NANOS = 100_000_000L;

    private final MappedMemory memory;
    private final int end;
    private final int counter;
    private volatile Snapshot last;

    /** One answer, what it was based on, and the holders seen (re-checked for liveness while the epoch holds). */
    private static final class Snapshot {
        final long epoch;
        final long checkedAt;
        final boolean gone;
        final long[] holders;

        Snapshot(long epoch, long checkedAt, boolean gone, long[] holders) {
            this.epoch = epoch;
            this.checkedAt = checkedAt;
            this.gone = gone;
            this.holders = holders;
        }
    }

    /**
     * @param memory the pipe's mapping
     * @param end    the end watched (0 or 1)
     */
    public EndWatch(MappedMemory memory, int end) {
        this.memory = memory;
        this.end = end;
        this.counter = PipeLayout.counter(end);
    }

    /**
     * @return true if the end was opened at some time and no live process holds a handle on it now (at most
     *         {@link #RECHECK_NANOS} stale for holders that died without closing)
     */
    public boolean gone() {
        // Read the epoch before scanning: a change during the scan makes the next call scan again.
        long epoch = memory.getLongVolatile(PipeLayout.epochOffset(end));
        long now = System.nanoTime();
        Snapshot s = last;
        if (s != null && s.epoch == epoch) {
            if (now - s.checkedAt < RECHECK_NANOS) {
                return s.gone;
            }
            if (!s.gone && anyAlive(s.holders)) {
                // Same epoch: nobody opened or closed the end, so the holders are the same processes and
                // only their liveness can have changed; one /proc read instead of a registry scan.
                last = new Snapshot(epoch, now, false, s.holders);
                return false;
            }
        }
        long[] holders = holders();
        boolean gone = memory.getLongVolatile(PipeLayout.openedOffset(end)) != 0 && !anyAlive(holders);
        last = new Snapshot(epoch, now, gone, holders);
        return gone;
    }

    private long[] holders() {
        long[] found = new long[4];
        int n = 0;
        for (int i = 0; i < HeaderLayout.REGISTRY_ENTRIES; i++) {
            if (memory.getLongVolatile(HeaderLayout.entryCounterOffset(i, counter)) <= 0) {
                continue;
            }
            long token = Registry.token(memory, i);
            if (token != 0) {
                if (n == found.length) {
                    found = java.util.Arrays.copyOf(found, n * 2);
                }
                found[n++] = token;
            }
        }
        return java.util.Arrays.copyOf(found, n);
    }

    private static boolean anyAlive(long[] holders) {
        long self = ProcessIdentity.self();
        for (long token : holders) {
            if (token == self || ProcessIdentity.isAlive(token)) {
                return true;
            }
        }
        return false;
    }

    /** @return whether some live process holds a handle on the end now (uncached) */
    public boolean held() {
        long self = ProcessIdentity.self();
        for (int i = 0; i < HeaderLayout.REGISTRY_ENTRIES; i++) {
            if (memory.getLongVolatile(HeaderLayout.entryCounterOffset(i, counter)) <= 0) {
                continue;
            }
            // NOTE: benign race: the entry may be released and reused between the two reads; the release
            // bumps the epoch, so a wrong "held" is corrected by the next question.
            long token = Registry.token(memory, i);
            if (token != 0 && (token == self || ProcessIdentity.isAlive(token))) {
                return true;
            }
        }
        return false;
    }

    /** @return whether any process ever opened the end */
    public boolean everOpened() {
        return memory.getLongVolatile(PipeLayout.openedOffset(end)) != 0;
    }
}
