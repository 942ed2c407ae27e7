package io.mmipc.queue;

import io.mmipc.codec.Codecs;
import io.mmipc.internal.file.Directories;
import io.mmipc.internal.file.HeaderLayout;
import io.mmipc.internal.file.Registry;
import io.mmipc.internal.ring.QueueLayout;
import io.mmipc.testing.ChildJvm;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 3: processes SIGKILLed at any moment (mid-put, mid-get, asleep in put/get/join) never cost a message
 * whose put returned, never deliver one twice, and never leave anything that blocks the others.
 *
 * <p>What can be asserted when a consumer is killed: a child prints a message's id only after {@code take}
 * returned it, and a take commits (moves the head) before it returns. So a message is printed by at most one
 * consumer; and a message whose put returned but that nobody printed was either still queued (the survivors
 * or this process drain it) or taken by a killed consumer that died between its take's commit and its
 * print, which is at most one message per killed consumer. A producer's message is acknowledged once the
 * producer printed its number after {@code put} returned; the one put in flight at the kill may or may not
 * arrive (never out of order, never twice).
 *
 * <p>{@code -Dmmipc.test.killSeconds} bounds the random-kill loop (default 25 s); {@code -Dmmipc.test.killSeed}
 * fixes its seed. A kill is triggered by what the victim reported (a random number of takes or puts, capped by
 * what it can still get), not by timing, so a loaded machine makes a round slower but never fails it; the kill
 * moments within a few milliseconds still depend on timing.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class KillSafetyTest {
    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(60);

    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("kill");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestDirs.delete(dir);
    }

    /**
     * @return side files of queue {@code name} (not of earlier rounds' queues in the same folder: each round's
     *         queue stays, with the in-flight side file its killed producer may have left)
     */
    private long spillFiles(String name) throws Exception {
        String prefix = name + Directories.SUFFIX + ".spill-";
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)).count();
        }
    }

    private static <T> CompletableFuture<T> async(Callable<T> call) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(call.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "kill-test-async");
        t.setDaemon(true);
        t.start();
        return f;
    }

    private static String summary(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return String.format("min %.1f ms, median %.1f ms, max %.1f ms (n=%d)", s[0] / 1e6, s[s.length / 2] / 1e6,
                s[s.length - 1] / 1e6, s.length);
    }

    // ------------------------------------------------------------------ random kills

    @Test
    void randomKillsOfProducersAndConsumersLoseNothingAcknowledgedAndDeliverNothingTwice() throws Exception {
        long seed = Long.getLong("mmipc.test.killSeed", System.nanoTime());
        long budget = TimeUnit.SECONDS.toNanos(Long.getLong("mmipc.test.killSeconds", 25));
        Random rnd = new Random(seed);
        long t0 = System.nanoTime();
        int round = 0;
        int[] totals = new int[4];
        while (round < 3 || System.nanoTime() - t0 < budget) {
            try {
                int[] r = killRound(round, rnd);
                for (int i = 0; i < totals.length; i++) {
                    totals[i] += r[i];
                }
            } catch (Throwable e) {
                throw new AssertionError("round " + round + " failed (seed " + seed + ")", e);
            }
            round++;
        }
        System.out.printf("kill loop: %d rounds in %.1f s (seed %d): %d kills (%d of a victim that could get no "
                + "more), %d messages delivered, %d taken by a killed consumer before it printed%n", round,
                (System.nanoTime() - t0) / 1e9, seed, totals[0], totals[3], totals[1], totals[2]);
    }

    /**
     * Runs one round; returns {kills, messages delivered, messages lost with a killed consumer, victims killed
     * because they could get no more}.
     */
    private int[] killRound(int round, Random rnd) throws Exception {
        String name = "round" + round;
        int perProducer = 3000;
        int producers = 2;
        int consumers = 2;
        List<ChildJvm> prod = new ArrayList<>();
        List<ChildJvm> cons = new ArrayList<>();
        // Odd rounds use a joinable queue: its task counts must come out right too.
        String kind = round % 2 == 1 ? "joinable" : "plain";
        try (SharedQueue<byte[]> q = kind.equals("joinable")
                ? SharedJoinableQueue.builder(name, Codecs.bytes()).directory(dir).capacity(4096).create()
                : SharedQueue.builder(name, Codecs.bytes()).directory(dir).capacity(4096).create()) {
            int maxInline = q.maxInlineMessage();
            for (int p = 0; p < producers; p++) {
                prod.add(ChildJvm.start(QueueChild.class, "produce", dir.toString(), name, kind, String.valueOf(p),
                        String.valueOf(perProducer), String.valueOf(maxInline), "300", "true",
                        log(name, "p" + p).toString()));
            }
            for (int c = 0; c < consumers; c++) {
                cons.add(ChildJvm.start(QueueChild.class, "consume", dir.toString(), name, kind, "true", "-",
                        log(name, "c" + c).toString()));
            }
            for (ChildJvm c : cons) {
                c.expect("ready", START);
            }
            for (ChildJvm p : prod) {
                p.expect("ready", START);
            }
            // Round 0, 3, ...: a producer; 1, 4, ...: a consumer; 2, 5, ...: one of each. Consumer first, while
            // every producer runs. A victim is killed once it reported a random number of takes or puts, or as
            // soon as it can get no more (a consumer: every producer finished and nothing is queued, since the
            // other consumer may have taken the rest; a producer: it finished), whichever comes first.
            boolean killConsumer = round % 3 != 0;
            boolean killProducer = round % 3 != 1;
            ChildJvm consumerVictim = killConsumer ? cons.get(rnd.nextInt(consumers)) : null;
            ChildJvm producerVictim = killProducer ? prod.get(rnd.nextInt(producers)) : null;
            List<ChildJvm> everyone = new ArrayList<>(prod);
            everyone.addAll(cons);
            int early = 0;
            if (consumerVictim != null) {
                early += killAfter(consumerVictim, "c ", 1 + rnd.nextInt(400),
                        () -> prod.stream().allMatch(p -> p.output().contains("done")) && q.qsize() == 0, everyone, rnd);
            }
            if (producerVictim != null) {
                early += killAfter(producerVictim, "p ", 1 + rnd.nextInt(perProducer - 1),
                        () -> producerVictim.output().contains("done"), everyone, rnd);
            }
            for (ChildJvm p : prod) {
                if (p != producerVictim) {
                    p.expect("done", WAIT);
                    assertEquals(0, p.waitFor(WAIT));
                }
            }
            // Survivors drain what is queued, then see the shutdown.
            q.shutdown();
            for (ChildJvm c : cons) {
                if (c != consumerVictim) {
                    assertEquals(0, c.waitFor(WAIT), "consumer output " + tail(c.output()));
                }
            }
            assertEquals(0, q.qsize(), "nothing may be left queued");
            if (q instanceof SharedJoinableQueue) {
                // Every task is done, or lost with the killed consumer: the one it took and had not marked done.
                SharedJoinableQueue<byte[]> j = (SharedJoinableQueue<byte[]>) q;
                long lost = j.joinIgnoringLost(WAIT);
                assertTrue(lost >= 0, "join did not settle: unfinished=" + j.unfinishedTasks() + ", lost=" + j.lostTasks());
                assertTrue(lost <= (killConsumer ? 1 : 0), "tasks lost: " + lost);
                assertTrue(j.join(Duration.ZERO));
                assertEquals(0, j.unfinishedTasks());
            }
            long orphans = spillFiles(name);
            assertTrue(orphans <= (killConsumer ? 1 : 0) + (killProducer ? 1 : 0),
                    "side files left: " + orphans + " (only a killed process's own in-flight one may be)");

            // Delivered: logged by consumers after take returned (their log files, not their stdout: see QueueChild).
            Set<Long> delivered = new HashSet<>();
            for (int k = 0; k < consumers; k++) {
                ChildJvm c = cons.get(k);
                int[] last = new int[producers];
                Arrays.fill(last, -1);
                for (String line : Files.readAllLines(log(name, "c" + k))) {
                    if (!line.startsWith("c ")) {
                        continue;
                    }
                    String[] f = line.split(" ");
                    int p = Integer.parseInt(f[1]);
                    int seq = Integer.parseInt(f[2]);
                    assertTrue(seq > last[p], "consumer " + c.pid() + ": producer " + p + "'s " + seq + " after " + last[p]);
                    last[p] = seq;
                    assertTrue(delivered.add(((long) p << 32) | seq), "delivered twice: " + p + ":" + seq);
                }
            }
            // Acknowledged: printed by producers after put returned.
            int missing = 0;
            for (int p = 0; p < producers; p++) {
                ChildJvm c = prod.get(p);
                int acked = 0;
                for (String line : Files.readAllLines(log(name, "p" + p))) {
                    if (line.startsWith("p ")) {
                        assertEquals(acked, Integer.parseInt(line.substring(2)), "producer output out of order");
                        acked++;
                    }
                }
                if (c != producerVictim) {
                    assertEquals(perProducer, acked);
                }
                for (int seq = 0; seq < acked; seq++) {
                    if (!delivered.contains(((long) p << 32) | seq)) {
                        missing++;
                    }
                }
                for (long key : delivered) {
                    if ((int) (key >>> 32) == p) {
                        int seq = (int) key;
                        // The put in flight at the kill may have completed; nothing after it can exist.
                        assertTrue(seq <= acked, "producer " + p + " acknowledged " + acked + " puts but " + seq
                                + " was delivered");
                    }
                }
            }
            assertTrue(missing <= (killConsumer ? 1 : 0), "acknowledged messages lost: " + missing
                    + " (a killed consumer may take at most one before printing it)");
            return new int[] {(killConsumer ? 1 : 0) + (killProducer ? 1 : 0), delivered.size(), missing, early};
        } finally {
            for (ChildJvm c : prod) {
                c.close();
            }
            for (ChildJvm c : cons) {
                c.close();
            }
        }
    }

    private Path log(String round, String child) {
        return dir.resolve(round + "-" + child + ".log");
    }

    /**
     * Lets {@code victim} report {@code events} progress lines (those starting with {@code prefix}), or fewer
     * once {@code exhausted} says it can get no more, waits 0-2 ms more, then SIGKILLs it. The trigger is what
     * the victim reports, never how long it took: only a stall of every child for {@link #WAIT} fails.
     *
     * @return 1 if it was killed for being exhausted before reporting {@code events} lines, else 0
     */
    private static int killAfter(ChildJvm victim, String prefix, int events, BooleanSupplier exhausted,
                                 List<ChildJvm> everyone, Random rnd) throws InterruptedException {
        long lastChange = System.nanoTime();
        long lastOutput = -1;
        int early = 0;
        int reported = 0;
        int read = 0;
        while (true) {
            List<String> out = victim.output();
            for (; read < out.size(); read++) {
                if (out.get(read).startsWith(prefix)) {
                    reported++;
                }
            }
            if (reported >= events) {
                break;
            }
            if (exhausted.getAsBoolean()) {
                early = 1;
                break;
            }
            long output = everyone.stream().mapToLong(c -> c.output().size()).sum();
            if (output != lastOutput) {
                lastOutput = output;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > WAIT.toNanos()) {
                fail("no child reported anything within " + WAIT + " while the victim (pid " + victim.pid()
                        + ") had reported " + reported + " of " + events + "; victim alive=" + victim.isAlive()
                        + ", output tail=" + tail(out));
            }
            Thread.sleep(1);
        }
        LockSupport.parkNanos(rnd.nextInt(2_000_000));
        victim.kill();
        victim.waitFor(WAIT);
        return early;
    }


    private static List<String> tail(List<String> lines) {
        return lines.subList(Math.max(0, lines.size() - 5), lines.size());
    }

    // ------------------------------------------------------------------ a take interrupted at any point

    /**
     * A consumer killed at any instruction of a take, including between copying the message out and moving
     * the head, leaves a queue the others can use: nothing is lost except the one message it held, and
     * nothing is wedged. The child takes and puts back large multi-slot messages in a loop, so a kill lands
     * inside a take's commit often.
     */
    @Test
    void consumerKilledAnywhereInATakeNeverWedgesTheQueue() throws Exception {
        int kills = 12;
        int messages = 4;
        Random rnd = new Random(42);
        for (int k = 0; k < kills; k++) {
            String name = "churn" + k;
            try (SharedQueue<byte[]> q = SharedQueue.builder(name, Codecs.bytes()).directory(dir).capacity(1 << 20)
                    .slotSize(16).create()) {
                for (int i = 0; i < messages; i++) {
                    q.put(TestMessages.make(5, i, 30_000));
                }
                try (ChildJvm churn = ChildJvm.start(QueueChild.class, "churn", dir.toString(), name)) {
                    churn.expect("ready", START);
                    Thread.sleep(20 + rnd.nextInt(60));
                    churn.kill();
                }
                Set<Integer> got = new HashSet<>();
                while (q.qsize() > 0) {
                    byte[] m = q.poll(2, TimeUnit.SECONDS);
                    if (m == null) {
                        assertEquals(0, q.qsize(), "kill " + k + ": the queue is wedged: get finds nothing although "
                                + q.qsize() + " message(s) are queued; " + describeHead(q));
                        break;
                    }
                    TestMessages.verify(m);
                    assertTrue(got.add(TestMessages.seq(m)), "delivered twice: " + TestMessages.seq(m));
                }
                assertTrue(got.size() >= messages - 1, "kill " + k + ": only " + got + " of " + messages + " left");
                // And it keeps working.
                q.put(TestMessages.make(6, 0, 30_000));
                assertNotNull(q.poll(2, TimeUnit.SECONDS));
            }
        }
    }

    /** The ring's head and tail words and the control word at the head, for failure messages. */
    private static String describeHead(SharedQueue<?> q) {
        int b = HeaderLayout.BODY_OFFSET;
        long head = q.memory.getLongVolatile(b + QueueLayout.HEAD);
        long tail = q.memory.getLongVolatile(b + QueueLayout.TAIL);
        long slots = q.file.param(QueueLayout.P_SLOTS);
        long h = head >>> 24;
        long c = q.memory.getLongVolatile(b + QueueLayout.CTL + 8 * (h & (slots - 1)));
        return String.format("head pos=%d count=%d, tail pos=%d count=%d, ctl(head): seq=%d state=%d producer=%d "
                        + "span=%d, consumer lock=%x", h, head & 0xFFFFFF, tail >>> 24, tail & 0xFFFFFF, c >>> 24,
                (c >>> 22) & 3, (c >>> 14) & 0xFF, c & 0x3FFF, q.memory.getLongVolatile(b + QueueLayout.CONSUMER_LOCK));
    }

    // ------------------------------------------------------------------ recovery times

    @Test
    void producerKilledWhileHoldingAClaimHoldsConsumersUpOnlyBriefly() throws Exception {
        int rounds = 5;
        long[] blocked = new long[rounds];
        long[] fresh = new long[rounds];
        try (SharedQueue<byte[]> q = SharedQueue.builder("claim", Codecs.bytes()).directory(dir).capacity(4096).create()) {
            for (int i = 0; i < rounds; i++) {
                // (a) A get already waiting behind the claim when its producer is killed.
                try (ChildJvm claimer = ChildJvm.start(QueueChild.class, "claim", dir.toString(), "claim")) {
                    assertTrue(claimer.readLine(START).startsWith("claimed "));
                    q.put(("after" + i).getBytes(StandardCharsets.UTF_8));
                    assertEquals(2, q.qsize(), "the claim counts as a message being put");
                    CompletableFuture<byte[]> got = async(q::take);
                    Thread.sleep(100);
                    assertFalse(got.isDone(), "a live producer's claim must be waited for, not skipped");
                    long t0 = System.nanoTime();
                    claimer.kill();
                    assertEquals("after" + i, new String(got.get(WAIT.toSeconds(), TimeUnit.SECONDS),
                            StandardCharsets.UTF_8));
                    blocked[i] = System.nanoTime() - t0;
                }
                // (b) A get that starts after the kill.
                try (ChildJvm claimer = ChildJvm.start(QueueChild.class, "claim", dir.toString(), "claim")) {
                    assertTrue(claimer.readLine(START).startsWith("claimed "));
                    q.put(("later" + i).getBytes(StandardCharsets.UTF_8));
                    claimer.kill();
                    long t0 = System.nanoTime();
                    assertEquals("later" + i, new String(q.take(), StandardCharsets.UTF_8));
                    fresh[i] = System.nanoTime() - t0;
                }
                assertEquals(0, q.qsize());
            }
        }
        System.out.println("recovery, producer killed mid-put (holding a claim): waiting get, from SIGKILL to the next "
                + "message: " + summary(blocked) + "; get started after the kill: " + summary(fresh));
        for (int i = 0; i < rounds; i++) {
            assertTrue(blocked[i] < 2_000_000_000L && fresh[i] < 2_000_000_000L, "recovery took over 2 s");
        }
    }

    @Test
    void consumerKilledHoldingTheConsumerLockHoldsOthersUpOnlyBrieflyAndLosesNothing() throws Exception {
        int rounds = 5;
        long[] recovery = new long[rounds];
        try (SharedQueue<byte[]> q = SharedQueue.builder("lock", Codecs.bytes()).directory(dir).capacity(4096).create()) {
            for (int i = 0; i < rounds; i++) {
                q.put(("first" + i).getBytes(StandardCharsets.UTF_8));
                q.put(("second" + i).getBytes(StandardCharsets.UTF_8));
                try (ChildJvm holder = ChildJvm.start(QueueChild.class, "hold", dir.toString(), "lock")) {
                    holder.expect("holding " + ("first" + i).length(), START);
                    CompletableFuture<byte[]> got = async(q::take);
                    Thread.sleep(100);
                    assertFalse(got.isDone(), "a live consumer's lock must be waited for");
                    long t0 = System.nanoTime();
                    holder.kill();
                    // The message the dead consumer was reading was not taken: it comes first.
                    assertEquals("first" + i, new String(got.get(WAIT.toSeconds(), TimeUnit.SECONDS),
                            StandardCharsets.UTF_8));
                    recovery[i] = System.nanoTime() - t0;
                }
                assertEquals("second" + i, new String(q.take(), StandardCharsets.UTF_8));
                assertEquals(0, q.qsize());
            }
        }
        System.out.println("recovery, consumer killed mid-get (holding the consumer lock): from SIGKILL to the next "
                + "get's message: " + summary(recovery));
        for (long r : recovery) {
            assertTrue(r < 2_000_000_000L, "recovery took over 2 s");
        }
    }

    // ------------------------------------------------------------------ killed while asleep

    @Test
    void processesKilledWhileBlockedInPutGetOrJoinLeaveNothingThatBlocksOthers() throws Exception {
        try (SharedQueue<String> empty = SharedQueue.builder("empty", Codecs.string()).directory(dir).create();
             SharedQueue<String> full = SharedQueue.builder("full", Codecs.string()).directory(dir).maxSize(1).create();
             SharedJoinableQueue<String> tasks = SharedJoinableQueue.builder("tasks", Codecs.string()).directory(dir)
                     .create()) {
            full.put("x");
            tasks.put("t");
            List<ChildJvm> victims = List.of(
                    ChildJvm.start(QueueChild.class, "get", dir.toString(), "empty", "plain"),
                    ChildJvm.start(QueueChild.class, "put", dir.toString(), "full", "plain", "from-the-dead"),
                    ChildJvm.start(QueueChild.class, "join", dir.toString(), "tasks"));
            try {
                for (ChildJvm v : victims) {
                    v.expect("ready", START);
                }
                Thread.sleep(300);
                for (ChildJvm v : victims) {
                    assertEquals(List.of("ready"), v.output(), "the child should be blocked");
                    v.kill();
                }
            } finally {
                for (ChildJvm v : victims) {
                    v.close();
                }
            }
            long t0 = System.nanoTime();
            CompletableFuture<String> getter = async(empty::take);
            Thread.sleep(50);
            empty.put("y");
            assertEquals("y", getter.get(5, TimeUnit.SECONDS));

            assertEquals("x", full.take());
            assertEquals(0, full.qsize(), "the killed putter's item never arrives");
            full.put("z");
            assertEquals("z", full.poll(5, TimeUnit.SECONDS));

            assertEquals("t", tasks.take());
            CompletableFuture<Boolean> joiner = async(() -> tasks.join(Duration.ofSeconds(10)));
            tasks.taskDone();
            assertTrue(joiner.get(10, TimeUnit.SECONDS));
            try (ChildJvm join = ChildJvm.start(QueueChild.class, "join", dir.toString(), "tasks")) {
                join.expect("joined", START);
            }
            long took = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(took < 10_000, "took " + took + " ms");
        }
    }

    // ------------------------------------------------------------------ registry

    @Test
    void registryEntriesOfKilledProcessesAreReclaimed() throws Exception {
        int total = Integer.getInteger("mmipc.test.registryChildren", 150);
        int batch = 10;
        long t0 = System.nanoTime();
        try (SharedQueue<String> q = SharedQueue.builder("reg", Codecs.string()).directory(dir).create()) {
            assertTrue(total > HeaderLayout.REGISTRY_ENTRIES || Integer.getInteger("mmipc.test.registryChildren") != null);
            for (int started = 0; started < total; started += batch) {
                List<ChildJvm> children = new ArrayList<>();
                try {
                    for (int i = 0; i < batch; i++) {
                        children.add(ChildJvm.start(QueueChild.class, "open", dir.toString(), "reg", "plain"));
                    }
                    for (ChildJvm c : children) {
                        c.expect("ready", START);
                    }
                } finally {
                    for (ChildJvm c : children) {
                        c.kill();
                    }
                }
            }
            // A process opening the queue now still finds an entry, and the queue works across processes.
            try (ChildJvm getter = ChildJvm.start(QueueChild.class, "get", dir.toString(), "reg", "plain")) {
                getter.expect("ready", START);
                q.put("hello");
                getter.expect("got hello", START);
                assertEquals(0, getter.waitFor(START));
            }
            int held = 0;
            for (int i = 0; i < HeaderLayout.REGISTRY_ENTRIES; i++) {
                if (Registry.token(q.memory, i) != 0) {
                    held++;
                }
            }
            assertEquals(1, held, "only this process should hold an entry now");
            assertEquals(1, Registry.countLive(q.memory, i -> true));
        }
        System.out.printf("registry: %d killed processes, entries reclaimed, in %.1f s%n", total,
                (System.nanoTime() - t0) / 1e9);
    }

    @Test
    void messagePutJustBeforeTheProducerIsKilledIsDelivered() throws Exception {
        // No feeder thread: when put returns, the message is in shared memory.
        try (SharedQueue<String> q = SharedQueue.builder("nofeeder", Codecs.string()).directory(dir).create()) {
            for (int i = 0; i < 3; i++) {
                try (ChildJvm p = ChildJvm.start(QueueChild.class, "put", dir.toString(), "nofeeder", "plain", "m" + i)) {
                    p.expect("put", START);
                    p.kill();
                }
                String m = q.poll(5, TimeUnit.SECONDS);
                if (m == null) {
                    fail("message m" + i + " lost with its producer");
                }
                assertEquals("m" + i, m);
            }
        }
    }
}
