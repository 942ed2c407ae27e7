package io.mmipc.internal.wait;

import io.mmipc.internal.proc.ProcessIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The doorbell registry of one process (issue 15, "Doorbells"), with fake doorbells of other processes made as
 * plain Unix-domain server sockets at the addresses {@link Doorbells#path} gives.
 */
@Timeout(60)
class DoorbellsTest {
    private final FakeBells bells = new FakeBells();

    @BeforeEach
    void setUp() {
        Doorbells.release(Doorbells.borrow()); // makes the folder
    }

    @AfterEach
    void tearDown() throws Exception {
        bells.close();
    }

    /**
     * Makes a fake doorbell and rings it. Other JVMs sharing the doorbell folder (other test runs) sweep the
     * files of processes that look dead, as these fakes do, so a ring that finds its file gone is retried.
     */
    private boolean ringFake(long token, int number) throws Exception {
        for (int attempt = 0; attempt < 5; attempt++) {
            if (attempt > 0) {
                bells.dropLast();
            }
            bells.create(token, number);
            if (Doorbells.ring(token, number)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void connectionCacheIsBoundedAndDropsDeadPeers() throws Exception {
        int n = Doorbells.MAX_CONNECTIONS + 40;
        for (int i = 0; i < n; i++) {
            // This PID with another start time: a process that has exited.
            long dead = ProcessIdentity.self() ^ ((long) (i + 1) << 40);
            assertTrue(ringFake(dead, 7));
            assertTrue(Doorbells.cachedConnections() <= Doorbells.MAX_CONNECTIONS,
                    "cache of " + Doorbells.cachedConnections() + " after " + (i + 1) + " dead peers");
        }
        // Live peers (here: this process) beyond the bound: the least recently rung are dropped.
        for (int i = 0; i < n; i++) {
            assertTrue(ringFake(ProcessIdentity.self(), 1_000_000 + i));
            assertTrue(Doorbells.cachedConnections() <= Doorbells.MAX_CONNECTIONS);
        }
        // A dropped connection is simply made again.
        assertTrue(Doorbells.ring(ProcessIdentity.self(), 1_000_000));
    }

    @Test
    void addressesWhoseOldHashCollidedReachTheirOwnDoorbells() throws Exception {
        // token*31 + number is equal for these two: the old cache sent the second ring to the first bell.
        long first = (12_345L << 22) | 1_000;
        long second = first + 1;
        assertEquals(first * 31 + 40, second * 31 + 9);
        assertTrue(ringFake(first, 40));
        assertTrue(ringFake(second, 9));
        assertEquals(1, bytesReceived(bells.get(bells.size() - 2)));
        assertEquals(1, bytesReceived(bells.get(bells.size() - 1)));
    }

    private static int bytesReceived(ServerSocketChannel server) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        SocketChannel ch;
        while ((ch = server.accept()) == null) {
            assertTrue(System.nanoTime() < deadline, "no connection arrived");
            Thread.sleep(5);
        }
        try (SocketChannel c = ch) {
            c.configureBlocking(false);
            ByteBuffer buf = ByteBuffer.allocate(16);
            while (c.read(buf) == 0) {
                assertTrue(System.nanoTime() < deadline, "no byte arrived");
                Thread.sleep(5);
            }
            return buf.position();
        }
    }

    /** Another process's sweep (another mmipc version, say) may delete a live bell's file: it is replaced. */
    @Test
    void aDoorbellWhoseFileWasDeletedIsReplacedAfterAnUnrungSleep() throws Exception {
        Doorbell bell = Doorbells.borrow();
        Files.delete(bell.path());
        int stale = 0;
        while (bell.await(TimeUnit.MILLISECONDS.toNanos(1))) { // rings and connections left from earlier use
            assertTrue(++stale < 100, "the doorbell keeps ringing");
        }
        Doorbells.release(bell, true);
        Doorbell next = Doorbells.borrow();
        try {
            assertNotEquals(bell.number(), next.number());
            assertTrue(Files.exists(next.path()));
            assertTrue(Doorbells.ring(ProcessIdentity.self(), next.number()));
            assertTrue(next.await(TimeUnit.SECONDS.toNanos(10)));
        } finally {
            Doorbells.release(next);
        }
    }

    @Test
    void twoCopiesOfMmipcInOneJvmNeverShareADoorbell() throws Exception {
        URL classes = Doorbells.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader one = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader());
             URLClassLoader two = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader())) {
            Object bellOne = borrow(one);
            Object bellTwo = borrow(two);
            Path pathOne = path(bellOne);
            Path pathTwo = path(bellTwo);
            assertNotEquals(pathOne, pathTwo);
            // The first copy's bell still answers at its own address.
            try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(pathOne))) {
                ch.write(ByteBuffer.wrap(new byte[] {1}));
                Method await = bellOne.getClass().getDeclaredMethod("await", long.class);
                await.setAccessible(true);
                assertEquals(true, await.invoke(bellOne, TimeUnit.SECONDS.toNanos(10)));
            }
            for (Object bell : List.of(bellOne, bellTwo)) {
                Method close = bell.getClass().getDeclaredMethod("close");
                close.setAccessible(true);
                close.invoke(bell);
            }
        }
    }

    private static Object borrow(ClassLoader loader) throws Exception {
        Class<?> bells = Class.forName(Doorbells.class.getName(), true, loader);
        Method borrow = bells.getDeclaredMethod("borrow");
        borrow.setAccessible(true);
        Object bell = borrow.invoke(null);
        assertNotNull(bell);
        return bell;
    }

    private static Path path(Object bell) throws Exception {
        Method path = bell.getClass().getDeclaredMethod("path");
        path.setAccessible(true);
        return (Path) path.invoke(bell);
    }
}
