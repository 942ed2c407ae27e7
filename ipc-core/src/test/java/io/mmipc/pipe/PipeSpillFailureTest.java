package io.mmipc.pipe;

import io.mmipc.codec.Codecs;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 14 item 2 for the pipe: recv and poll never destroy a spilled message whose side file cannot be read. */
@Timeout(60)
class PipeSpillFailureTest {
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("pipe-spill-fail");
    }

    @AfterEach
    void tearDown() throws Exception {
        Thread.interrupted();
        TestDirs.delete(dir);
    }

    private List<Path> sideFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().contains(".spill-")).collect(Collectors.toList());
        }
    }

    @Test
    void pendingInterruptAndUnreadableSideFileKeepTheMessage() throws Exception {
        try (SharedPipe<byte[]> p = SharedPipe.builder("p", Codecs.bytes()).directory(dir).capacity(1024)
                .slotSize(64).create()) {
            byte[] big = new byte[4000];
            Arrays.fill(big, (byte) 9);
            p.first().sendBytes(big);
            Thread.currentThread().interrupt();
            assertTrue(p.second().poll(), "poll reads no side file and sees the message");
            assertThrows(InterruptedException.class, () -> p.second().recv());
            assertTrue(p.second().poll(Duration.ZERO));

            Path side = sideFiles().get(0);
            byte[] saved = Files.readAllBytes(side);
            Files.delete(side);
            Files.createDirectory(side);
            assertThrows(IOException.class, () -> p.second().recvBytes());
            assertTrue(p.second().poll());
            Files.delete(side);
            Files.write(side, saved);
            assertArrayEquals(big, p.second().recvBytes());
            assertTrue(sideFiles().isEmpty());
        }
    }
}
