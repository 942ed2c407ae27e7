package io.mmipc.internal.wait;

import io.mmipc.internal.proc.ProcessIdentity;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * An ad-hoc probe, not a test: the cold round trip between two threads of one JVM, each side idle 2 ms (or
 * the second argument, in µs) before every ping, through: two shared queues (the whole get/put cold path),
 * two bare doorbells (selector, {@code epoll_wait} + {@code read}), a connected Unix-domain socket pair
 * (blocking {@code read}), the same pair read through a selector, and the pair with a pinger that spins after
 * its write. It tells the queue's, the doorbell's, the selector's and a spin's share of a cold trip.
 * {@code java -cp target/classes:target/test-classes io.mmipc.internal.wait.WakeMechanismProbe 1500 [pauseMicros]}
 */
public final class WakeMechanismProbe {
    private WakeMechanismProbe() {
    }

    /**
     * @param a round trips per mechanism and pass
     * @throws Exception if a socket fails
     */
    public static void main(String[] a) throws Exception {
        int n = Integer.parseInt(a[0]);
        pauseNanos = a.length > 1 ? Long.parseLong(a[1]) * 1000 : 2_000_000L;
        for (int pass = 0; pass < 2; pass++) {
            System.out.println("queue    " + queue(n));
            System.out.println("doorbell " + doorbell(n));
            System.out.println("socket   " + socket(n));
            System.out.println("selector " + selectorSocket(n));
            System.out.println("spin20us " + spinningSocket(n, 20_000));
            System.out.println("spin100us " + spinningSocket(n, 100_000));
        }
        System.exit(0);
    }

    private static final int WARM_UP = 100;
    /** Idle time before each ping (second argument, in µs; default 2000). */
    private static long pauseNanos;
    private static final AtomicInteger PING = new AtomicInteger();
    private static final AtomicInteger PONG = new AtomicInteger();

    /** Two shared queues between the two threads (ping, echo): the whole cold path of a get and a put. */
    static String queue(int n) throws Exception {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "mech",
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        io.mmipc.queue.SharedQueue<Long> ping = io.mmipc.queue.SharedQueue
                .builder("ping", io.mmipc.codec.Codecs.int64()).directory(dir).create();
        io.mmipc.queue.SharedQueue<Long> pong = io.mmipc.queue.SharedQueue
                .builder("pong", io.mmipc.codec.Codecs.int64()).directory(dir).create();
        Thread t = echo(n, i -> pong.put(ping.get()));
        String result = coldTrips(n, i -> {
            ping.put((long) i);
            pong.get();
        });
        t.join();
        ping.unlink();
        pong.unlink();
        ping.close();
        pong.close();
        return result;
    }

    static String doorbell(int n) throws Exception {
        PING.set(0);
        PONG.set(0);
        Doorbell mine = Doorbells.borrow();
        Doorbell peer = Doorbells.borrow();
        long self = ProcessIdentity.self();
        echo(n, i -> {
            while (PING.get() <= i) { peer.await(1_000_000_000L); }
            PONG.incrementAndGet();
            Doorbells.ring(self, mine.number());
        });
        return coldTrips(n, i -> {
            PING.incrementAndGet();
            Doorbells.ring(self, peer.number());
            while (PONG.get() <= i) { mine.await(1_000_000_000L); }
        });
    }

    /** A connected Unix-domain socket pair, each end read with a blocking {@code read}. */
    static String socket(int n) throws Exception {
        return socketPair(n, false, 0);
    }

    /**
     * The same pair, each reader first waiting in a selector ({@code epoll_wait}, then {@code read}) as a
     * doorbell does, without the doorbell's bookkeeping: tells the selector's cost from the rest.
     */
    static String selectorSocket(int n) throws Exception {
        return socketPair(n, true, 0);
    }

    /**
     * The blocking pair, the pinger spinning {@code spinNanos} after its write before it blocks (as a waker
     * spins for the answer): tells what spinning costs a wake-up that the kernel would place on this core.
     */
    static String spinningSocket(int n, long spinNanos) throws Exception {
        return socketPair(n, false, spinNanos);
    }

    private static String socketPair(int n, boolean viaSelector, long spinNanos) throws Exception {
        Path p = Files.createTempDirectory("mech").resolve("s");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(p));
        SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(p));
        SocketChannel s = server.accept();
        ByteReader sIn = reader(s, viaSelector);
        ByteReader cIn = reader(c, viaSelector);
        ByteBuffer echoed = ByteBuffer.allocateDirect(1);
        echo(n, i -> {
            sIn.read(echoed); echoed.flip(); s.write(echoed);
        });
        ByteBuffer b = ByteBuffer.allocateDirect(1);
        return coldTrips(n, i -> {
            b.clear(); b.put((byte) 1); b.flip(); c.write(b);
            for (long until = System.nanoTime() + spinNanos; System.nanoTime() - until < 0; ) {
                Thread.onSpinWait();
            }
            cIn.read(b);
        });
    }

    /** One step of a side of the ping-pong; {@code i} counts the trips. */
    interface Step {
        void run(int i) throws Exception;
    }

    /** Starts the echoing side: {@code step} for each of the 100 warm-up and {@code n} timed trips. */
    private static Thread echo(int n, Step step) {
        Thread t = new Thread(() -> {
            try {
                for (int i = 0; i < n + WARM_UP; i++) {
                    step.run(i);
                }
            } catch (Exception e) { e.printStackTrace(); }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Times {@code trip} after {@link #pauseNanos} idle, {@value #WARM_UP} untimed trips first. */
    private static String coldTrips(int n, Step trip) throws Exception {
        long[] rtt = new long[n];
        for (int i = 0; i < n + WARM_UP; i++) {
            LockSupport.parkNanos(pauseNanos);
            long t0 = System.nanoTime();
            trip.run(i);
            if (i >= WARM_UP) rtt[i - WARM_UP] = System.nanoTime() - t0;
        }
        return stats(rtt);
    }

    /** Reads one byte into a cleared buffer. */
    interface ByteReader {
        void read(ByteBuffer b) throws Exception;
    }

    private static ByteReader reader(SocketChannel ch, boolean viaSelector) throws Exception {
        if (!viaSelector) {
            return b -> {
                b.clear();
                ch.read(b);
            };
        }
        ch.configureBlocking(false);
        Selector sel = Selector.open();
        ch.register(sel, SelectionKey.OP_READ);
        return b -> {
            b.clear();
            while (ch.read(b) == 0) {
                sel.select(1000);
                sel.selectedKeys().clear();
            }
        };
    }

    static String stats(long[] r) {
        Arrays.sort(r);
        return String.format("median %.1f us p90 %.1f us", r[r.length / 2] / 1e3, r[r.length * 9 / 10] / 1e3);
    }
}
