package io.mmipc.queue;

import io.mmipc.codec.Codecs;
import io.mmipc.testing.ChildJvm;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataInputStream;
import java.io.EOFException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Queues shared by several JVMs: many producers and consumers with exactly-once, per-producer-ordered
 * delivery; blocked calls woken from another process; messages larger than the ring.
 *
 * <p>{@code -Dmmipc.test.crossMessages=N} sets the messages per producer of the stress test (default 100,000).
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CrossProcessQueueTest {
    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(120);

    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("xproc");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestDirs.delete(dir);
    }

    private long spillFiles() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().contains(".spill-")).count();
        }
    }

    private static void closeAll(List<ChildJvm> children) throws InterruptedException {
        for (ChildJvm c : children) {
            c.close();
        }
    }

    @Test
    void threeProducerAndTwoConsumerProcessesDeliverEveryMessageOnceInProducerOrder() throws Exception {
        int producers = 3;
        int consumers = 2;
        int perProducer = Integer.getInteger("mmipc.test.crossMessages", 100_000);
        int spillEvery = 5_000;
        List<ChildJvm> children = new ArrayList<>();
        try (SharedQueue<byte[]> q = SharedQueue.builder("stress", Codecs.bytes()).directory(dir).capacity(1 << 16)
                .create()) {
            int maxInline = q.maxInlineMessage();
            List<ChildJvm> consumerJvms = new ArrayList<>();
            for (int k = 0; k < consumers; k++) {
                ChildJvm c = ChildJvm.start(QueueChild.class, "consume", dir.toString(), "stress", "plain", "false",
                        dir.resolve("taken-" + k).toString());
                children.add(c);
                consumerJvms.add(c);
            }
            List<ChildJvm> producerJvms = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                ChildJvm c = ChildJvm.start(QueueChild.class, "produce", dir.toString(), "stress", "plain",
                        String.valueOf(p), String.valueOf(perProducer), String.valueOf(maxInline),
                        String.valueOf(spillEvery), "false");
                children.add(c);
                producerJvms.add(c);
            }
            for (ChildJvm c : children) {
                c.expect("ready", START);
            }
            long t0 = System.nanoTime();
            for (ChildJvm p : producerJvms) {
                p.expect("done", WAIT);
                assertEquals(0, p.waitFor(WAIT));
            }
            long produced = System.nanoTime() - t0;
            // Consumers take until the queue is shut down and drained.
            q.shutdown();
            int total = 0;
            for (ChildJvm c : consumerJvms) {
                assertEquals(0, c.waitFor(WAIT), "consumer output: " + c.output());
                String last = c.output().get(c.output().size() - 1);
                assertTrue(last.startsWith("done "), last);
                total += Integer.parseInt(last.substring(5));
            }
            long elapsed = System.nanoTime() - t0;

            BitSet[] seen = new BitSet[producers];
            for (int p = 0; p < producers; p++) {
                seen[p] = new BitSet(perProducer);
            }
            int[] perConsumer = new int[consumers];
            for (int k = 0; k < consumers; k++) {
                int[] last = new int[producers];
                Arrays.fill(last, -1);
                try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(
                        Files.newInputStream(dir.resolve("taken-" + k))))) {
                    while (true) {
                        int p;
                        try {
                            p = in.readInt();
                        } catch (EOFException e) {
                            break;
                        }
                        int seq = in.readInt();
                        assertTrue(p >= 0 && p < producers && seq >= 0 && seq < perProducer, p + ":" + seq);
                        assertTrue(seq > last[p], "consumer " + k + " got producer " + p + "'s " + seq + " after " + last[p]);
                        last[p] = seq;
                        assertTrue(!seen[p].get(seq), "delivered twice: " + p + ":" + seq);
                        seen[p].set(seq);
                        perConsumer[k]++;
                    }
                }
            }
            for (int p = 0; p < producers; p++) {
                assertEquals(perProducer, seen[p].cardinality(), "producer " + p + ": messages lost");
            }
            assertEquals(producers * perProducer, total);
            assertEquals(0, q.qsize(), "nothing left behind");
            assertEquals(0, spillFiles(), "no side file left behind");
            System.out.printf("cross-process: %d producers x %d messages (mixed sizes, 1 in %d spilled), %d consumers "
                            + "(%s): puts done in %d ms, all taken in %d ms, %.0f msgs/s%n", producers, perProducer,
                    spillEvery, consumers, Arrays.toString(perConsumer), produced / 1_000_000, elapsed / 1_000_000,
                    producers * perProducer / (elapsed / 1e9));
        } finally {
            closeAll(children);
        }
    }

    @Test
    void aBlockedGetIsWokenByAPutInAnotherProcessAndViceVersa() throws Exception {
        try (SharedQueue<String> q = SharedQueue.builder("wake", Codecs.string()).directory(dir).maxSize(1).create()) {
            // A child blocked in get, woken by this process's put.
            try (ChildJvm getter = ChildJvm.start(QueueChild.class, "get", dir.toString(), "wake", "plain")) {
                getter.expect("ready", START);
                Thread.sleep(300);
                assertTrue(getter.isAlive() && getter.output().size() == 1, "the child should be blocked in get");
                long t0 = System.nanoTime();
                q.put("hello");
                getter.expect("got hello", START);
                System.out.printf("cross-process wake: child get woken by put in %.2f ms (incl. stdout pipe)%n",
                        (System.nanoTime() - t0) / 1e6);
                assertEquals(0, getter.waitFor(START));
            }
            // This process blocked in get, woken by a child's put.
            try (ChildJvm putter = ChildJvm.start(QueueChild.class, "put", dir.toString(), "wake", "plain", "from-child")) {
                assertEquals("from-child", q.poll(START.toMillis(), TimeUnit.MILLISECONDS));
                putter.expect("put", START);
                assertEquals(0, putter.waitFor(START));
            }
            // A child blocked in put on a full queue (maxsize 1), woken by this process's get.
            q.put("first");
            try (ChildJvm putter = ChildJvm.start(QueueChild.class, "put", dir.toString(), "wake", "plain", "second")) {
                putter.expect("ready", START);
                Thread.sleep(300);
                assertEquals(List.of("ready"), putter.output(), "the child should be blocked in put");
                assertEquals("first", q.take());
                putter.expect("put", START);
                assertEquals("second", q.poll(START.toMillis(), TimeUnit.MILLISECONDS));
                assertEquals(0, putter.waitFor(START));
            }
        }
    }

    @Test
    void messagesLargerThanTheRingCrossProcessesBothWays() throws Exception {
        try (SharedQueue<byte[]> q = SharedQueue.builder("big", Codecs.bytes()).directory(dir).capacity(4096).create()) {
            int maxInline = q.maxInlineMessage();
            // Child to parent: every message spilled (1 in 1), some a little over the limit.
            int count = 40;
            try (ChildJvm producer = ChildJvm.start(QueueChild.class, "produce", dir.toString(), "big", "plain", "7",
                    String.valueOf(count), String.valueOf(maxInline), "1", "false")) {
                for (int i = 0; i < count; i++) {
                    byte[] m = q.poll(START.toMillis(), TimeUnit.MILLISECONDS);
                    if (m == null) {
                        fail("message " + i + " did not arrive; producer output " + producer.output());
                    }
                    TestMessages.verify(m);
                    assertEquals(7, TestMessages.producer(m));
                    assertEquals(i, TestMessages.seq(m));
                    assertTrue(m.length > maxInline);
                }
                producer.expect("done", START);
                assertEquals(0, producer.waitFor(START));
            }
            // Parent to child: a few megabytes each, far beyond the 4 KiB ring.
            byte[][] sent = new byte[3][];
            for (int i = 0; i < sent.length; i++) {
                sent[i] = TestMessages.make(9, i, (2 << 20) + i * 12345);
                q.put(sent[i]);
            }
            try (ChildJvm consumer = ChildJvm.start(QueueChild.class, "consume", dir.toString(), "big", "plain", "true",
                    "-")) {
                for (int i = 0; i < sent.length; i++) {
                    consumer.expect("c 9 " + i, START);
                }
                q.shutdown();
                consumer.expect("done 3", START);
                assertEquals(0, consumer.waitFor(START));
            }
            assertEquals(0, q.qsize());
            assertEquals(0, spillFiles(), "side files are deleted once taken");
        }
    }
}
