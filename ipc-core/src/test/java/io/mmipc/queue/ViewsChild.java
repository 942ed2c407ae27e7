package io.mmipc.queue;

import io.mmipc.internal.ring.Removal;

import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Roles of {@link QueueChild} for {@link QueueViewsCrossProcessTest}: {@code QueueChild.main(role, dir, name,
 * kind, ...)} opens the {@link TestMessages} queue {@code name} ({@code kind} plain or joinable) and plays one.
 * Children give up after {@link QueueChild#FOREVER_MS}.
 *
 * <ul>
 *   <li>{@code crash-at dir name kind step producer seq}: install a {@link Removal} step hook that prints
 *       {@code at <step>} and sleeps when the removal reaches {@code step}; print {@code ready}; remove the
 *       message (producer, seq) with an iterator.</li>
 *   <li>{@code remover dir name kind every log}: print {@code ready}; forever, iterate and remove each message
 *       whose seq is a multiple of {@code every}, appending {@code r <producer> <seq>} to file {@code log}
 *       (one unbuffered write) after each removal that returned true.</li>
 * </ul>
 */
public final class ViewsChild {
    private ViewsChild() {
    }

    /** Plays a role of this class for {@link QueueChild#main}: {@code a} = role, dir, name, kind, ... */
    static void run(String[] a) throws Exception {
        try (SharedQueue<byte[]> q = QueueChild.openBytes(Path.of(a[1]), a[2], a[3])) {
            if (a[0].equals("crash-at")) {
                crashAt(q, Integer.parseInt(a[4]), Integer.parseInt(a[5]), Integer.parseInt(a[6]));
            } else {
                remover(q, Integer.parseInt(a[4]), a[5]);
            }
        }
    }

    private static void crashAt(SharedQueue<byte[]> q, int step, int producer, int seq) throws Exception {
        Removal.setStepHookForTests(s -> {
            if (s == step) {
                System.out.println("at " + s);
                System.out.flush();
                sleep();
            }
        });
        System.out.println("ready");
        QueueIterator<byte[]> it = new QueueIterator<>(q);
        while (it.hasNext()) {
            byte[] m = it.next();
            if (TestMessages.producer(m) == producer && TestMessages.seq(m) == seq) {
                System.out.println("removed " + it.removeLast());
                return;
            }
        }
        System.out.println("not found");
    }

    private static void remover(SharedQueue<byte[]> q, int every, String logFile) throws Exception {
        try (FileOutputStream log = new FileOutputStream(logFile, true)) {
            System.out.println("ready");
            long until = System.currentTimeMillis() + QueueChild.FOREVER_MS;
            while (System.currentTimeMillis() < until) {
                QueueIterator<byte[]> it = new QueueIterator<>(q);
                while (it.hasNext()) {
                    byte[] m = it.next();
                    if (TestMessages.seq(m) % every == 0 && it.removeLast()) {
                        log.write(("r " + TestMessages.producer(m) + " " + TestMessages.seq(m) + "\n")
                                .getBytes(StandardCharsets.US_ASCII));
                    }
                }
                Thread.sleep(1);
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(QueueChild.FOREVER_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
