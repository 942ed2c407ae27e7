package io.mmipc.pipe;

import io.mmipc.codec.Codecs;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 14 item 1 for the pipe: a close wakes this connection's blocked recv, poll and send; others go on. */
@Timeout(120)
class PipeCloseInFlightTest {
    private Path dir;
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("pipe-close");
    }

    @AfterEach
    void tearDown() throws Exception {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        TestDirs.delete(dir);
    }

    private static void assertClosedError(Future<?> call) throws InterruptedException {
        try {
            call.get(30, TimeUnit.SECONDS);
            throw new AssertionError("the call returned instead of failing");
        } catch (ExecutionException e) {
            IllegalStateException ise = assertInstanceOf(IllegalStateException.class, e.getCause());
            assertTrue(ise.getMessage().endsWith(" is closed"), ise.getMessage());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the blocked call did not leave after close", e);
        }
    }

    @Test
    void closeWakesBlockedCallsOfThatConnectionOnly() throws Exception {
        PipeBuilder<byte[]> b = SharedPipe.builder("p", Codecs.bytes()).directory(dir).capacity(1024).slotSize(64);
        PipeBuilder<byte[]> f = SharedPipe.builder("full", Codecs.bytes()).directory(dir).capacity(1024).slotSize(64);
        try (PipeConnection<byte[]> keep = b.create(PipeEnd.FIRST);
             PipeConnection<byte[]> peer = b.open(PipeEnd.SECOND);
             PipeConnection<byte[]> fullReader = f.create(PipeEnd.FIRST)) {
            PipeConnection<byte[]> closing = b.open(PipeEnd.FIRST);
            PipeConnection<byte[]> closingSender = f.open(PipeEnd.SECOND);
            while (closingSender.send(new byte[100], Duration.ZERO)) {
                // fill the ring fullReader reads
            }
            List<Future<?>> calls = new ArrayList<>();
            calls.add(pool.submit(() -> closing.recv()));
            calls.add(pool.submit(() -> closing.recvBytes()));
            calls.add(pool.submit(() -> closing.poll(null)));
            calls.add(pool.submit(() -> {
                closingSender.send(new byte[100]);
                return null;
            }));
            Thread.sleep(300);
            closing.close();
            closingSender.close();
            for (Future<?> call : calls) {
                assertClosedError(call);
            }
            assertThrows(IllegalStateException.class, closing::poll);
            assertTrue(closing.toString().contains("closed"));
            // The other connections on both ends carry on.
            assertEquals(100, fullReader.recvBytes().length);
            assertTrue(peer.send(new byte[] {7}, Duration.ofSeconds(10)));
            assertEquals(1, keep.recvBytes().length);
            keep.sendBytes(new byte[] {1, 2});
            assertEquals(2, peer.recvBytes().length);
        }
    }
}
