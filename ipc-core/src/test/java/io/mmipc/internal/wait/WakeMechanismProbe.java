package io.mmipc.internal.wait;

import io.mmipc.internal.proc.ProcessIdentity;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * An ad-hoc probe, not a test: the cold round trip of the bare wake-up mechanisms between two threads of one
 * JVM, each side idle 2 ms before every ping: two doorbells (selector, {@code epoll_wait} + {@code read})
 * against a connected Unix-domain socket pair (blocking {@code read}). It isolates the doorbell's own cost
 * from the queue's. {@code java -cp target/classes:target/test-classes io.mmipc.internal.wait.WakeMechanismProbe 1500}
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
        for (int pass = 0; pass < 2; pass++) {
            System.out.println("doorbell " + doorbell(n));
            System.out.println("socket   " + socket(n));
        }
        System.exit(0);
    }

    private static final AtomicInteger PING = new AtomicInteger();
    private static final AtomicInteger PONG = new AtomicInteger();

    static String doorbell(int n) throws Exception {
        PING.set(0);
        PONG.set(0);
        Doorbell mine = Doorbells.borrow();
        Doorbell peer = Doorbells.borrow();
        long self = ProcessIdentity.self();
        Thread t = new Thread(() -> {
            try {
                for (int i = 0; i < n + 100; i++) {
                    while (PING.get() <= i) { peer.await(1_000_000_000L); }
                    PONG.incrementAndGet();
                    Doorbells.ring(self, mine.number());
                }
            } catch (Exception e) { e.printStackTrace(); }
        });
        t.setDaemon(true);
        t.start();
        long[] rtt = new long[n];
        for (int i = 0; i < n + 100; i++) {
            LockSupport.parkNanos(2_000_000);
            long t0 = System.nanoTime();
            PING.incrementAndGet();
            Doorbells.ring(self, peer.number());
            while (PONG.get() <= i) { mine.await(1_000_000_000L); }
            if (i >= 100) rtt[i - 100] = System.nanoTime() - t0;
        }
        return stats(rtt);
    }

    static String socket(int n) throws Exception {
        Path p = Files.createTempDirectory("mech").resolve("s");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(p));
        SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(p));
        SocketChannel s = server.accept();
        Thread t = new Thread(() -> {
            ByteBuffer b = ByteBuffer.allocateDirect(1);
            try {
                for (int i = 0; i < n + 100; i++) {
                    b.clear(); s.read(b); b.flip(); s.write(b);
                }
            } catch (Exception e) { e.printStackTrace(); }
        });
        t.setDaemon(true);
        t.start();
        ByteBuffer b = ByteBuffer.allocateDirect(1);
        long[] rtt = new long[n];
        for (int i = 0; i < n + 100; i++) {
            LockSupport.parkNanos(2_000_000);
            long t0 = System.nanoTime();
            b.clear(); b.put((byte) 1); b.flip(); c.write(b);
            b.clear(); c.read(b);
            if (i >= 100) rtt[i - 100] = System.nanoTime() - t0;
        }
        return stats(rtt);
    }

    static String stats(long[] r) {
        Arrays.sort(r);
        return String.format("median %.1f us p90 %.1f us", r[r.length / 2] / 1e3, r[r.length * 9 / 10] / 1e3);
    }
}
