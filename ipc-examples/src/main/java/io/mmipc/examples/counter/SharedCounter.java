package io.mmipc.examples.counter;

import io.mmipc.SharedObjects;
import io.mmipc.examples.Children;
import io.mmipc.examples.Examples;
import io.mmipc.process.SharedProcess;
import io.mmipc.sync.LockHold;
import io.mmipc.sync.SharedBarrier;
import io.mmipc.value.SharedInt;
import io.mmipc.value.SharedIntArray;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Python's classic shared-counter program: 70 processes each take one from a shared value that starts at
 * 100. Without the value's lock, {@code v.set(v.get() - 1)} is a read, a pause and a write, and two processes
 * that read the same number write the same result: updates are lost and the counter ends above 30. With
 * {@code getLock()} held around the read and the write it ends at exactly 30. Then a child process fills a
 * shared array in place and the parent reads it.
 *
 * <p><b>Why 70 real JVMs.</b> The point of the program is 70 independent processes racing for one word, so
 * it starts 70 {@link SharedProcess}es rather than 70 tasks on a small pool (a pool worker runs its tasks one
 * after the other and would hide the race). They start with small heaps and the pool's fast-start options
 * ({@link Examples#CHILD_OPTIONS}), about 40 MiB each, and take a few seconds per ten JVMs on two cores; a
 * barrier then releases them together, once for the unlocked round and once for the locked one, so both
 * rounds race as hard as the machine allows. Fewer processes: {@code SharedCounter 20}.
 *
 * <p>The unlocked round holds its read value for {@link #WINDOW_MILLIS} ms before writing it back (a stand-in
 * for real work between the read and the write); how many updates are lost still depends on the scheduler,
 * so the example prints the number rather than requiring one.
 *
 * <p>Run: {@code scripts/example counter [processes] [arrayLength]} (defaults 70, 10).
 */
public final class SharedCounter {
    /** The value both counters start at, as in the Python program. */
    static final int START = 100;
    /** How long the unlocked read-modify-write holds the value it read before writing it back. */
    static final int WINDOW_MILLIS = 2;
    private static final Duration LIMIT = Duration.ofSeconds(120);

    private SharedCounter() {
    }

    /**
     * Runs both counter rounds and the array.
     *
     * @param out  where to print what happens
     * @param args optional process count (at most 100) and array length
     * @return true if the locked counter is exact and the array holds what the child wrote
     * @throws Exception if a process or an object fails
     */
    public static boolean run(PrintStream out, String... args) throws Exception {
        int processes = Math.min(START, Examples.intArg(args, 0, 70));
        int length = Examples.intArg(args, 1, 10);
        Examples.removeAbandoned(out);
        out.printf("shared counter: %d processes decrement two shared ints from %d, objects in %s%n", processes, START,
                SharedObjects.defaultDirectory());
        boolean ok = counters(out, processes) & array(out, length);
        out.println(ok ? "summary: ok (locked counter exact, array filled by the child)" : "summary: CHECK FAILED");
        return ok;
    }

    private static boolean counters(PrintStream out, int processes) throws Exception {
        long t0 = System.nanoTime();
        try (Children children = new Children();
             SharedInt unlocked = SharedInt.create("counter-unlocked", START);
             SharedInt locked = SharedInt.create("counter-locked", START);
             // every child and this process: the start line of both rounds
             SharedBarrier start = SharedBarrier.builder("counter-start").parties(processes + 1).create()) {
            List<SharedProcess<Void>> procs = new ArrayList<>();
            for (int i = 0; i < processes; i++) {
                procs.add(children.start(SharedProcess.builder(() -> decrement(unlocked, locked, start)),
                        "decrement-" + i));
            }
            start.await(LIMIT); // round 1 (no lock) begins once all have started
            double started = (System.nanoTime() - t0) / 1e9;
            start.await(LIMIT); // round 2 (with the lock)
            for (SharedProcess<Void> c : procs) {
                Examples.result(c, LIMIT);
            }
            int expected = START - processes;
            int withoutLock = unlocked.get();
            int withLock = locked.get();
            out.printf("without the lock: %d (expected %d, %d update(s) lost)%n", withoutLock, expected,
                    withoutLock - expected);
            out.printf("with the lock:    %d (expected %d): %s%n", withLock, expected,
                    withLock == expected ? "ok" : "CHECK FAILED");
            out.printf("%d processes started in %.1f s, all done in %.1f s%n", processes, started,
                    (System.nanoTime() - t0) / 1e9);
            unlocked.unlink();
            locked.unlink();
            start.unlink();
            return withLock == expected;
        }
    }

    /** One child process: one unlocked decrement, then one locked decrement, each released by the barrier. */
    @SuppressWarnings("try") // the hold is only held, never read
    static void decrement(SharedInt unlocked, SharedInt locked, SharedBarrier start) throws Exception {
        start.await(LIMIT);
        int v = unlocked.get(); // Python's v.value -= 1 without the lock: read ...
        Thread.sleep(WINDOW_MILLIS); // ... (anyone may read the same value meanwhile) ...
        unlocked.set(v - 1); // ... write: the other's update is overwritten
        start.await(LIMIT);
        try (LockHold h = locked.getLock().hold()) { // with v.get_lock(): v.value -= 1
            int w = locked.get();
            Thread.sleep(WINDOW_MILLIS); // the same pause, harmless under the lock
            locked.set(w - 1);
        }
    }

    private static boolean array(PrintStream out, int length) throws Exception {
        try (Children children = new Children();
             SharedIntArray squares = SharedIntArray.create("counter-squares", length)) {
            SharedProcess<Void> child = children.start(SharedProcess.builder(() -> {
                for (int i = 0; i < squares.length(); i++) {
                    squares.set(i, i * i); // written in place, in shared memory: nothing is sent back
                }
            }), "fill-array");
            Examples.result(child, LIMIT);
            int[] got = squares.toArray();
            boolean ok = true;
            for (int i = 0; i < length; i++) {
                ok &= got[i] == i * i;
            }
            String shown = length <= 20 ? Arrays.toString(got) : Arrays.toString(Arrays.copyOf(got, 20)) + "...";
            out.printf("array filled in place by child process %d: %s: %s%n", child.pid(), shown,
                    ok ? "ok" : "CHECK FAILED");
            squares.unlink();
            return ok;
        }
    }
}
