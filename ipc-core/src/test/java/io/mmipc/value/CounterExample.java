package io.mmipc.value;

import io.mmipc.sync.LockHold;
import io.mmipc.testing.ChildJvm;
import io.mmipc.testing.TestDirs;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The README's example, after the classic Python one: N processes each decrement a shared counter once,
 * under the counter's own lock, so 70 processes starting from 100 end at exactly 30.
 *
 * <pre>
 * # Python                                         // Java (this class)
 * def work(counter):                               try (SharedLong counter = SharedLong.open("counter");
 *     with counter.get_lock():                          LockHold h = counter.getLock().hold()) {
 *         counter.value -= 1                           counter.set(counter.get() - 1);
 *                                                  }
 * counter = Value('i', 100)
 * ps = [Process(target=work, args=(counter,))      SharedLong.builder("counter").initialValue(100).create()
 *       for _ in range(70)]                        ... start 70 JVMs running Worker, wait for them
 * </pre>
 *
 * Run the full version with {@code main} (arguments: processes, initial value; default 70 and 100). The
 * test suite runs a scaled-down one.
 */
public final class CounterExample {
    private CounterExample() {
    }

    /** One process: opens the counter and decrements it once under its lock. */
    public static final class Worker {
        public static void main(String[] args) throws Exception {
            try (SharedLong counter = SharedLong.builder("counter").directory(Path.of(args[0])).open();
                 LockHold h = counter.getLock().hold()) {
                counter.set(counter.get() - 1);
            }
        }
    }

    /**
     * Runs {@code processes} worker JVMs against a counter starting at {@code initial}.
     *
     * @return the final value of the counter
     */
    public static long run(Path dir, int processes, long initial) throws Exception {
        try (SharedLong counter = SharedLong.builder("counter").directory(dir).initialValue(initial).create()) {
            List<ChildJvm> children = new ArrayList<>();
            try {
                for (int i = 0; i < processes; i++) {
                    children.add(ChildJvm.start(Worker.class, dir.toString()));
                }
                for (ChildJvm child : children) {
                    int exit = child.waitFor(Duration.ofSeconds(120));
                    if (exit != 0) {
                        throw new IllegalStateException("worker " + child.pid() + " exited with " + exit);
                    }
                }
            } finally {
                for (ChildJvm child : children) {
                    child.close();
                }
            }
            return counter.get();
        }
    }

    /** Runs the full example and prints the result. */
    public static void main(String[] args) throws Exception {
        int processes = args.length > 0 ? Integer.parseInt(args[0]) : 70;
        long initial = args.length > 1 ? Long.parseLong(args[1]) : 100;
        Path dir = TestDirs.create("counter-example");
        try {
            long t0 = System.nanoTime();
            long result = run(dir, processes, initial);
            System.out.printf("%d processes, each decrementing once from %d: %d (expected %d), %.1f s%n",
                    processes, initial, result, initial - processes, (System.nanoTime() - t0) / 1e9);
        } finally {
            TestDirs.delete(dir);
        }
    }
}
