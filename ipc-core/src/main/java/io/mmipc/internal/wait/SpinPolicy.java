package io.mmipc.internal.wait;

/**
 * How long a waiter spins before it sleeps, learned from the wake-ups this process observes (issue 17).
 *
 * <p>Two cases. A thread that has just <em>woken</em> a sleeper (its signal found one) and now waits for the
 * answer knows that the answer needs at least one kernel wake-up of the other side (30-50 µs on a busy VM):
 * with the 20 µs hot spin it would fall asleep just before the answer came, and the other side, finding it
 * asleep, would have to wake it in turn — two wake-ups per round trip, for as long as traffic lasts (the
 * convoy). Such a wait spins for about 1.5 times the answer latency learned from earlier waits of the same
 * kind (an average over this process, capped at {@link #MAX_NANOS}), so the answer is caught while spinning,
 * the round trip pays one wake-up, and the next message finds both sides awake. Every other wait spins for
 * the hot budget ({@code -Dmmipc.spinNanos}, 20 µs).
 *
 * <p>No back-off for oversubscription: an earlier version slept after 2 µs for 100 ms once a spinner had been
 * descheduled, which cut two producers and two consumers on two cores from 2.3-2.5 M to 0.5 M messages/s
 * (their yields hand the core to each other, and sleeping made every hand-over a system call).
 *
 * <p>CPU stays bounded when traffic really stops: one wait spins at most {@link #MAX_NANOS}, and after
 * {@link #MAX_MISSES} post-wake spins in a row that did not see the answer in time, post-wake waits use the
 * hot budget until one succeeds again. Benign races: the learned values are plain volatile fields updated
 * without CAS by every waiting thread of the process; a lost update only delays the learning.
 */
final class SpinPolicy {
    /** Spin of a wait that did not just wake anybody. */
    static final long HOT_NANOS = Long.getLong("mmipc.spinNanos", 20_000L);
    /** Longest spin of any wait (except {@code SPIN} mode). */
    static final long MAX_NANOS = Math.max(HOT_NANOS, Long.getLong("mmipc.maxSpinNanos", 200_000L));
    /** Whether post-wake waits spin longer ({@code -Dmmipc.adaptiveSpin=false} turns it off, for comparisons). */
    static final boolean ADAPTIVE = !"false".equals(System.getProperty("mmipc.adaptiveSpin"));
    /** Failed post-wake spins in a row after which post-wake waits stop spinning long. */
    static final int MAX_MISSES = 4;
    /** A wait that starts this long after this thread's wake-up of another no longer counts as an answer. */
    private static final long ANSWER_WINDOW_NANOS = 1_000_000L;

    /** Looks between two yields of a spinning waiter while its yields return at once (nobody else wants the core). */
    static final int LOOKS_PER_YIELD = 64;
    /** Looks between two yields once a yield gave the core away: what it waits for likely runs on this core. */
    static final int LOOKS_PER_YIELD_SHARED = 4;
    /** A yield that kept the thread off its core this long let another thread run meanwhile. */
    static final long YIELD_AWAY_NANOS = 2_000L;

    /** The current interval between yields, learned from the last yield of any waiter of this process. */
    private static volatile int looksPerYield = LOOKS_PER_YIELD;
    private static volatile long answerNanos = 50_000L;
    private static volatile int misses;
    private static final ThreadLocal<long[]> LAST_WAKE = ThreadLocal.withInitial(() -> new long[] {Long.MIN_VALUE});

    private SpinPolicy() {
    }

    /** Notes that this thread has just woken a sleeper (a system call was made for it). */
    static void wokeSomeone() {
        LAST_WAKE.get()[0] = System.nanoTime();
    }

    /**
     * Starts a wait: whether it is the answer to this thread's own recent wake-up (which is forgotten), and
     * its spin budget.
     *
     * @param now {@link System#nanoTime()}
     * @return the spin budget in nanoseconds, negative if this wait follows a wake-up (then {@code -budget})
     */
    static long begin(long now) {
        long[] last = LAST_WAKE.get();
        boolean answer = last[0] != Long.MIN_VALUE && now - last[0] < ANSWER_WINDOW_NANOS;
        last[0] = Long.MIN_VALUE;
        if (!answer || !ADAPTIVE) {
            return HOT_NANOS;
        }
        // After too many misses, spin as a hot wait, but keep learning (a short answer re-enables the long spin).
        return -(misses >= MAX_MISSES ? HOT_NANOS
                : Math.max(HOT_NANOS, Math.min(MAX_NANOS, answerNanos + answerNanos / 2)));
    }

    /**
     * Yields the core once and says how soon to yield again. Two threads that hand messages to each other
     * often end up on one core (the kernel queues a woken thread on its waker's core and a short burst ends
     * before the balancer moves it): then every hand-over waits for the spinner's next yield, and yielding
     * every {@link #LOOKS_PER_YIELD_SHARED} looks instead of every {@link #LOOKS_PER_YIELD} shortens it. A
     * yield that returns at once (the core was not shared) goes back to the long interval.
     *
     * @return the looks to spin before the next yield
     */
    static int yieldAndPace() {
        long t0 = System.nanoTime();
        Thread.yield();
        int looks = System.nanoTime() - t0 > YIELD_AWAY_NANOS ? LOOKS_PER_YIELD_SHARED : LOOKS_PER_YIELD;
        if (looksPerYield != looks) {
            // Kept for the next waits (one wait rarely lasts more than one hand-over); written only when it
            // changes, so spinners of one process do not bounce the line between cores at every yield.
            looksPerYield = looks;
        }
        return looks;
    }

    /** @return the looks a new wait spins before its first yield */
    static int looksPerYield() {
        return looksPerYield;
    }

    /**
     * Learns from a wait that ended with its condition true.
     *
     * @param afterWake whether {@link #begin} said it followed a wake-up
     * @param spun      whether the condition came true while spinning (no sleep)
     * @param waited    nanoseconds from the start of the wait until the condition was true
     */
    static void learn(boolean afterWake, boolean spun, long waited) {
        if (!afterWake) {
            return;
        }
        if (waited <= MAX_NANOS) {
            // Exponential average, 1/8 weight: a sleep's wait over-estimates (it adds our own wake-up), so
            // the budget grows until the answer is caught spinning, then settles on the real latency.
            long a = answerNanos;
            answerNanos = a + (waited - a) / 8;
            misses = 0;
        } else if (!spun) {
            misses = Math.min(MAX_MISSES, misses + 1);
        }
    }
}
