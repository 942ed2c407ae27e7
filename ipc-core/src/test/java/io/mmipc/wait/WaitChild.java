package io.mmipc.wait;

import io.mmipc.WaitMode;
import io.mmipc.codec.Codecs;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.wait.Futex;
import io.mmipc.queue.SharedQueue;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The child side of the cross-process wait tests: {@code main(role, dir, mode, ...)} opens queues in
 * {@code dir} with wait mode {@code mode} and plays one role, reporting on stdout.
 *
 * <ul>
 *   <li>{@code echo dir mode n wait-for-sleeper}: n times, take from {@code ping} and put it to {@code pong};
 *       if {@code wait-for-sleeper} is true, first wait until the parent sleeps on {@code pong}.</li>
 *   <li>{@code take dir mode queue}: print {@code ready}, take one item; print {@code got <item>}, or the
 *       exception's class and message.</li>
 *   <li>{@code put dir mode queue item}: print {@code ready}, put one item (blocking while full); print
 *       {@code put}, or the exception.</li>
 *   <li>{@code drain dir mode queue n}: print {@code ready}, take n items; print {@code done <n>}.</li>
 *   <li>{@code fill dir mode queue n}: print {@code ready}, put n items; print {@code done <n>}.</li>
 *   <li>{@code quiet dir mode}: create a queue, wake a getter sleeping in another thread with a put, print
 *       {@code ok futex=<available>} (or {@code unavailable: <reason>} if the mode cannot be used here).</li>
 *   <li>{@code relay dir mode in out}: take from {@code in} and put into {@code out} until {@code stop}, then
 *       print {@code stopped}.</li>
 *   <li>{@code impl}: print the loaded {@link MappedMemory} implementation and whether futex is available.</li>
 * </ul>
 */
public final class WaitChild {
    private WaitChild() {
    }

    public static void main(String[] args) throws Exception {
        String role = args[0];
        if (role.equals("impl")) {
            System.out.println(MappedMemory.implementation() + " futex=" + Futex.available());
            return;
        }
        Path dir = Path.of(args[1]);
        WaitMode mode = WaitMode.valueOf(args[2]);
        switch (role) {
            case "quiet":
                quiet(dir, mode);
                break;
            case "echo":
                echo(dir, mode, Integer.parseInt(args[3]), Boolean.parseBoolean(args[4]));
                break;
            case "take":
                try (SharedQueue<String> q = open(dir, mode, args[3])) {
                    System.out.println("ready");
                    System.out.println("got " + q.take());
                } catch (Exception e) {
                    System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
                }
                break;
            case "put":
                try (SharedQueue<String> q = open(dir, mode, args[3])) {
                    System.out.println("ready");
                    q.put(args[4]);
                    System.out.println("put");
                } catch (Exception e) {
                    System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
                }
                break;
            case "drain":
                try (SharedQueue<String> q = open(dir, mode, args[3])) {
                    System.out.println("ready");
                    int n = Integer.parseInt(args[4]);
                    for (int i = 0; i < n; i++) {
                        q.take();
                    }
                    System.out.println("done " + n);
                }
                break;
            case "relay":
                try (SharedQueue<String> q = open(dir, mode, args[3]);
                     SharedQueue<String> out = open(dir, mode, args[4])) {
                    System.out.println("ready");
                    for (String m = q.take(); !m.equals("stop"); m = q.take()) {
                        out.put(m);
                    }
                    System.out.println("stopped");
                }
                break;
            case "fill":
                try (SharedQueue<String> q = open(dir, mode, args[3])) {
                    System.out.println("ready");
                    int n = Integer.parseInt(args[4]);
                    for (int i = 0; i < n; i++) {
                        q.put("f" + i);
                    }
                    System.out.println("done " + n);
                }
                break;
            default:
                throw new IllegalArgumentException("unknown role: " + role);
        }
        System.out.flush();
    }

    static SharedQueue<String> open(Path dir, WaitMode mode, String name) throws java.io.IOException {
        return SharedQueue.builder(name, Codecs.string()).directory(dir).waitMode(mode).open();
    }

    private static void quiet(Path dir, WaitMode mode) throws Exception {
        SharedQueue<String> q;
        try {
            q = SharedQueue.builder("quiet", Codecs.string()).directory(dir).waitMode(mode).create();
        } catch (IllegalStateException e) {
            System.out.println("unavailable: " + e.getMessage());
            return;
        }
        try (q) {
            java.util.concurrent.FutureTask<String> getter = new java.util.concurrent.FutureTask<>(q::take);
            Thread t = new Thread(getter);
            t.start();
            try (WaitProbe probe = WaitProbe.of(q.path())) {
                probe.awaitSleepers(WaitProbe.NOT_EMPTY, 1, mode, Duration.ofSeconds(20));
            }
            q.put("hello");
            if (!"hello".equals(getter.get(20, java.util.concurrent.TimeUnit.SECONDS))) {
                throw new AssertionError("wrong item");
            }
            q.unlink();
        }
        System.out.println("ok futex=" + Futex.available());
    }

    private static void echo(Path dir, WaitMode mode, int n, boolean waitForSleeper) throws Exception {
        try (SharedQueue<String> ping = open(dir, mode, "ping"); SharedQueue<String> pong = open(dir, mode, "pong");
             WaitProbe probe = WaitProbe.of(pong.path())) {
            System.out.println("ready");
            for (int i = 0; i < n; i++) {
                String m = ping.take();
                if (waitForSleeper && WaitProbe.sleeps(mode)) {
                    probe.awaitSleepers(WaitProbe.NOT_EMPTY, 1, mode, Duration.ofSeconds(10));
                }
                pong.put(m);
            }
            System.out.println("done " + n);
        }
    }
}
