package io.mmipc.queue;

import io.mmipc.codec.Codecs;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The child side of the cross-process queue tests: {@code main(role, dir, name, ...)} opens queue
 * {@code name} in {@code dir} and plays one role, reporting on stdout (one line per event, flushed, so a
 * line the parent reads was written before anything the child did after it). A child that fails prints the
 * stack trace to stderr and exits 1. Children that wait "forever" give up after {@link #FOREVER_MS}, so an
 * orphan never outlives a crashed test run for long.
 *
 * <p>The {@code log} files exist because the last lines a SIGKILLed child wrote to its stdout pipe can be
 * lost on the parent's side (the JDK drains a dead child's pipe racily): what a killed child did is read from
 * a file it appended each line to with one unbuffered write, which survives the kill.
 *
 * <ul>
 *   <li>{@code produce dir name kind producer count maxInline spillEvery print [log]}: print {@code ready},
 *       put {@code count} {@link TestMessages} of mixed sizes; if {@code print}, print {@code p <seq>} after
 *       each put returned, and if a {@code log} file is given, also append that line to it; print
 *       {@code done}.</li>
 *   <li>{@code consume dir name kind print out [log]}: print {@code ready}, take (and for a joinable queue
 *       mark done) verified messages until the queue is shut down; if {@code print}, print {@code c <producer>
 *       <seq>} after each take returned (and append it to {@code log} if given); write every (producer, seq)
 *       taken, in order, to file {@code out} ({@code -} for none); print {@code done <n>}.</li>
 *   <li>{@code claim dir name [kind]}: claim a record with the internal {@code Ring.claim} and never publish it:
 *       print {@code claimed <pos>}, sleep.</li>
 *   <li>{@code hold dir name}: read the next message in place ({@code read(MessageReader)}), printing
 *       {@code holding <length>} and sleeping inside the callback, so the consumer lock stays held.</li>
 *   <li>{@code open dir name kind}: open, print {@code ready}, sleep.</li>
 *   <li>{@code get dir name kind}: print {@code ready}, take one string: print {@code got <item>}, or
 *       {@code shutdown} on {@link QueueShutdownException}.</li>
 *   <li>{@code put dir name kind item}: print {@code ready}, put one string: print {@code put}, or
 *       {@code shutdown}.</li>
 *   <li>{@code join dir name}: print {@code ready}, join: print {@code joined}, or {@code lost <n> <pid>}.</li>
 *   <li>{@code take-keep dir name n}: take n strings without marking them done, print {@code took <n>},
 *       sleep.</li>
 *   <li>{@code forgive dir name}: print {@code ready}, {@code joinIgnoringLost}: print {@code forgave <n>}.</li>
 *   <li>{@code take-int dir name}: open the joinable queue with the int32 codec, print {@code ready}, take one
 *       item: print {@code got <n>}, or {@code refused} if the codec refused it.</li>
 *   <li>{@code work dir name n delayMs}: print {@code ready}, take n strings and mark each done, sleeping
 *       {@code delayMs} before the last taskDone; print {@code worked}.</li>
 *   <li>{@code churn dir name}: print {@code ready}, then forever take a message and put it back.</li>
 *   <li>{@code crash-at ...}, {@code remover ...}: see {@link ViewsChild}.</li>
 *   <li>{@code poison dir name}: put a {@link Poison} with a serializable codec that allows it; print
 *       {@code put}.</li>
 * </ul>
 */
public final class QueueChild {
    static final long FOREVER_MS = 120_000;

    private QueueChild() {
    }

    public static void main(String[] args) {
        try {
            run(args);
            System.out.flush();
            System.exit(0);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
    }

    static SharedQueue<byte[]> openBytes(Path dir, String name, String kind) throws IOException {
        // Byte-level: opens whatever codec the parent created the queue with.
        return kind.equals("joinable") ? SharedJoinableQueue.builder(name, Codecs.anyBytes()).directory(dir).open()
                : SharedQueue.builder(name, Codecs.anyBytes()).directory(dir).open();
    }

    static SharedQueue<String> openStrings(Path dir, String name, String kind) throws IOException {
        return kind.equals("joinable") ? SharedJoinableQueue.builder(name, Codecs.string()).directory(dir).open()
                : SharedQueue.builder(name, Codecs.string()).directory(dir).open();
    }

    private static SharedJoinableQueue<String> openJoinable(Path dir, String name) throws IOException {
        return SharedJoinableQueue.builder(name, Codecs.unchecked(Codecs.string())).directory(dir).open();
    }

    private static void run(String[] a) throws Exception {
        String role = a[0];
        Path dir = Path.of(a[1]);
        String name = a[2];
        switch (role) {
            case "produce":
                produce(dir, name, a[3], Integer.parseInt(a[4]), Integer.parseInt(a[5]), Integer.parseInt(a[6]),
                        Integer.parseInt(a[7]), Boolean.parseBoolean(a[8]), a.length > 9 ? a[9] : null);
                break;
            case "consume":
                consume(dir, name, a[3], Boolean.parseBoolean(a[4]), a[5], a.length > 6 ? a[6] : null);
                break;
            case "claim":
                try (SharedQueue<byte[]> q = openBytes(dir, name, a.length > 3 ? a[3] : "plain")) {
                    long pos = q.ring.claim(16);
                    System.out.println("claimed " + pos);
                    Thread.sleep(FOREVER_MS);
                }
                break;
            case "hold":
                try (SharedQueue<byte[]> q = openBytes(dir, name, "plain")) {
                    q.read(m -> {
                        System.out.println("holding " + m.remaining());
                        sleepForever();
                    }, Duration.ofSeconds(30));
                }
                break;
            case "open":
                try (SharedQueue<byte[]> q = openBytes(dir, name, a[3])) {
                    System.out.println("ready");
                    Thread.sleep(FOREVER_MS);
                }
                break;
            case "get":
                try (SharedQueue<String> q = openStrings(dir, name, a[3])) {
                    System.out.println("ready");
                    System.out.println("got " + q.get());
                } catch (QueueShutdownException e) {
                    System.out.println("shutdown");
                }
                break;
            case "put":
                try (SharedQueue<String> q = openStrings(dir, name, a[3])) {
                    System.out.println("ready");
                    q.put(a[4]);
                    System.out.println("put");
                } catch (QueueShutdownException e) {
                    System.out.println("shutdown");
                }
                break;
            case "join":
                try (SharedJoinableQueue<String> q = openJoinable(dir, name)) {
                    System.out.println("ready");
                    q.join();
                    System.out.println("joined");
                } catch (LostTasksException e) {
                    System.out.println("lost " + e.lostTasks() + " " + e.lastPid());
                }
                break;
            case "take-keep":
                try (SharedJoinableQueue<String> q = openJoinable(dir, name)) {
                    int n = Integer.parseInt(a[3]);
                    for (int i = 0; i < n; i++) {
                        q.take();
                    }
                    System.out.println("took " + n);
                    Thread.sleep(FOREVER_MS);
                }
                break;
            case "forgive":
                try (SharedJoinableQueue<String> q = openJoinable(dir, name)) {
                    System.out.println("ready");
                    System.out.println("forgave " + q.joinIgnoringLost(Duration.ofSeconds(60)));
                }
                break;
            case "take-int":
                try (SharedJoinableQueue<Integer> q = SharedJoinableQueue.builder(name, Codecs.unchecked(Codecs.int32())).directory(dir)
                        .open()) {
                    System.out.println("ready");
                    System.out.println("got " + q.take());
                } catch (io.mmipc.codec.CodecException e) {
                    System.out.println("refused");
                }
                break;
            case "work":
                try (SharedJoinableQueue<String> q = openJoinable(dir, name)) {
                    int n = Integer.parseInt(a[3]);
                    long delay = Long.parseLong(a[4]);
                    System.out.println("ready");
                    for (int i = 0; i < n; i++) {
                        q.take();
                        if (i == n - 1) {
                            Thread.sleep(delay);
                        }
                        q.taskDone();
                    }
                    System.out.println("worked");
                }
                break;
            case "churn":
                try (SharedQueue<byte[]> q = openBytes(dir, name, "plain")) {
                    System.out.println("ready");
                    long until = System.currentTimeMillis() + FOREVER_MS;
                    while (System.currentTimeMillis() < until) {
                        q.put(q.take());
                    }
                }
                break;
            case "crash-at":
            case "remover":
                ViewsChild.run(a);
                break;
            case "poison":
                try (SharedQueue<Poison> q = SharedQueue.builder(name, Codecs.unchecked(Codecs.<Poison>serializable(Poison.class)))
                        .directory(dir).open()) {
                    q.put(new Poison());
                    System.out.println("put");
                }
                break;
            default:
                throw new IllegalArgumentException("unknown role: " + role);
        }
    }

    private static void sleepForever() {
        try {
            Thread.sleep(FOREVER_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Prints an event line, and appends it to {@code log} (if any) with one unbuffered write. */
    private static void event(String line, java.io.FileOutputStream log) throws IOException {
        System.out.println(line);
        if (log != null) {
            log.write((line + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
    }

    private static java.io.FileOutputStream openLog(String log) throws IOException {
        return log == null ? null : new java.io.FileOutputStream(log, true);
    }

    private static void produce(Path dir, String name, String kind, int producer, int count, int maxInline,
                                int spillEvery, boolean print, String logFile) throws Exception {
        try (SharedQueue<byte[]> q = openBytes(dir, name, kind); java.io.FileOutputStream log = openLog(logFile)) {
            System.out.println("ready");
            for (int seq = 0; seq < count; seq++) {
                q.put(TestMessages.make(producer, seq, TestMessages.mixedSize(producer, seq, maxInline, spillEvery)));
                if (print) {
                    event("p " + seq, log);
                }
            }
            System.out.println("done");
        }
    }

    private static void consume(Path dir, String name, String kind, boolean print, String out, String logFile)
            throws Exception {
        List<int[]> taken = new ArrayList<>();
        int n = 0;
        try (SharedQueue<byte[]> q = openBytes(dir, name, kind); java.io.FileOutputStream log = openLog(logFile)) {
            System.out.println("ready");
            while (true) {
                byte[] m;
                try {
                    m = q.take();
                } catch (QueueShutdownException e) {
                    break;
                }
                TestMessages.verify(m);
                n++;
                if (print) {
                    event("c " + TestMessages.producer(m) + " " + TestMessages.seq(m), log);
                }
                if (!out.equals("-")) {
                    taken.add(new int[] {TestMessages.producer(m), TestMessages.seq(m)});
                }
                if (q instanceof SharedJoinableQueue) {
                    ((SharedJoinableQueue<byte[]>) q).taskDone();
                }
            }
        }
        if (!out.equals("-")) {
            try (DataOutputStream o = new DataOutputStream(new java.io.BufferedOutputStream(
                    Files.newOutputStream(Path.of(out))))) {
                for (int[] t : taken) {
                    o.writeInt(t[0]);
                    o.writeInt(t[1]);
                }
            }
        }
        System.out.println("done " + n);
    }

    /** Records, in static state of another class, whether it was ever initialised or deserialized here. */
    public static final class Poison implements Serializable {
        private static final long serialVersionUID = 1L;

        static {
            PoisonTrace.initialised = true;
        }

        private void readObject(java.io.ObjectInputStream in) throws IOException, ClassNotFoundException {
            PoisonTrace.deserialized = true;
            in.defaultReadObject();
        }
    }

    /** What happened to {@link Poison} in this JVM (reading these fields does not initialise Poison). */
    public static final class PoisonTrace {
        static volatile boolean initialised;
        static volatile boolean deserialized;

        private PoisonTrace() {
        }
    }
}
