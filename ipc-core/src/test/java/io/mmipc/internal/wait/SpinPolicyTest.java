package io.mmipc.internal.wait;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The spin budget rules; each case runs in a new thread, whose wake-up history starts empty. */
@Timeout(60)
class SpinPolicyTest {
    private static long inNewThread(Runnable before) throws Exception {
        CompletableFuture<Long> budget = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            before.run();
            budget.complete(SpinPolicy.begin(System.nanoTime()));
        });
        t.start();
        return budget.get(30, TimeUnit.SECONDS);
    }

    @Test
    void aWaitThatWokeNobodyIsNotAnAnswer() throws Exception {
        // The "no wake-up yet" sentinel once overflowed into "just woke someone" for every wait.
        assertTrue(inNewThread(() -> { }) > 0);
    }

    @Test
    void aWaitRightAfterWakingSomeoneSpinsAsAnAnswerOnce() throws Exception {
        assertTrue(inNewThread(SpinPolicy::wokeSomeone) < 0);
        CompletableFuture<long[]> twice = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            SpinPolicy.wokeSomeone();
            long first = SpinPolicy.begin(System.nanoTime());
            long second = SpinPolicy.begin(System.nanoTime());
            twice.complete(new long[] {first, second});
        });
        t.start();
        long[] b = twice.get(30, TimeUnit.SECONDS);
        assertTrue(b[0] < 0);
        assertTrue(b[1] > 0, "the wake-up is forgotten once answered");
    }

    @Test
    void anAnswerSpinIsBoundedAndAtLeastTheHotSpin() throws Exception {
        long budget = -inNewThread(SpinPolicy::wokeSomeone);
        assertTrue(budget <= SpinPolicy.MAX_NANOS, "budget " + budget);
        assertTrue(budget >= SpinPolicy.HOT_NANOS, "budget " + budget);
    }

    @Test
    void aYieldSetsTheIntervalOfTheNextWaitsToOneOfTheTwoPaces() {
        int looks = SpinPolicy.yieldAndPace();
        assertTrue(looks == SpinPolicy.LOOKS_PER_YIELD || looks == SpinPolicy.LOOKS_PER_YIELD_SHARED, "looks " + looks);
        assertEquals(looks, SpinPolicy.looksPerYield(), "kept for the next waits");
    }
}
