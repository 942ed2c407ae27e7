package io.mmipc.pipe;

import io.mmipc.codec.Codecs;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pipe timeouts: huge ones saturate, zero does not wait, and a timed send keeps its deadline on a full ring. */
@Timeout(60)
class PipeDeadlineTest {
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("pipe-deadline");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestDirs.delete(dir);
    }

    @Test
    void hugePollTimeoutSaturates() throws Exception {
        try (SharedPipe<String> p = SharedPipe.builder("huge", Codecs.string()).directory(dir).create()) {
            p.first().send("a");
            assertTrue(p.second().poll(Duration.ofSeconds(Long.MAX_VALUE)));
            assertFalse(p.first().poll(Duration.ofSeconds(-1)));
            assertTrue(p.first().send("b", Duration.ofSeconds(Long.MAX_VALUE)));
            assertEquals("a", p.second().recv());
            assertEquals("b", p.second().recv());
        }
    }

    @Test
    void timedSendGivesUpOnAFullPipe() throws Exception {
        try (SharedPipe<byte[]> p = SharedPipe.builder("full", Codecs.bytes()).directory(dir).capacity(1024)
                .slotSize(64).create()) {
            byte[] chunk = new byte[100];
            int sent = 0;
            while (p.first().send(chunk, Duration.ZERO)) {
                sent++;
            }
            assertTrue(sent > 0);
            long start = System.nanoTime();
            assertFalse(p.first().send(chunk, Duration.ofMillis(50)));
            assertFalse(p.first().sendBytes(ByteBuffer.wrap(chunk), Duration.ofMillis(50)));
            assertTrue(System.nanoTime() - start >= 100_000_000L);
            p.second().recvBytes();
            ByteBuffer src = ByteBuffer.wrap(chunk);
            assertTrue(p.first().sendBytes(src, Duration.ofSeconds(5)));
            assertEquals(src.limit(), src.position());
        }
    }
}
