package io.mmipc.queue;

import io.mmipc.ObjectFileException;
import io.mmipc.codec.Codecs;
import io.mmipc.internal.file.HeaderLayout;
import io.mmipc.internal.pipe.PipeLayout;
import io.mmipc.internal.ring.QueueLayout;
import io.mmipc.pipe.PipeEnd;
import io.mmipc.pipe.SharedPipe;
import io.mmipc.testing.ChildJvm;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14 item 7 (the ring's part of "reclaimed before validated"): an open reclaims the registry entries of
 * dead processes before the builder validates the header, and the queue's and pipe's reclaimers build rings
 * from the header's parameters. Corrupt parameters must give an ObjectFileException naming the file, not an
 * IndexOutOfBoundsException from the reclaimer.
 */
@Timeout(120)
class CorruptHeaderReclaimTest {
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("corrupt-header");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestDirs.delete(dir);
    }

    private static void writeLong(Path file, long offset, long value) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, value);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(b, offset);
        }
    }

    /** Leaves a dead process's registry entry in the object's file. */
    private void killedHolder(String kind, String name) throws Exception {
        try (ChildJvm child = ChildJvm.start(Holder.class, dir.toString(), kind, name)) {
            child.expect("holding", Duration.ofSeconds(60));
            child.kill();
        }
    }

    @Test
    void queueWithCorruptSlotsAndADeadHolder() throws Exception {
        Path file;
        try (SharedQueue<String> q = SharedQueue.builder("q", Codecs.string()).directory(dir).create()) {
            file = q.path();
        }
        killedHolder("queue", "q");
        writeLong(file, HeaderLayout.paramOffset(QueueLayout.P_SLOTS), 3);
        ObjectFileException e = assertThrows(ObjectFileException.class,
                () -> SharedQueue.builder("q", Codecs.string()).directory(dir).open());
        assertTrue(e.getMessage().contains("slots"), e.getMessage());
    }

    @Test
    void pipeWithCorruptSlotsAndADeadHolder() throws Exception {
        Path file;
        try (SharedPipe<String> p = SharedPipe.builder("p", Codecs.string()).directory(dir).create()) {
            file = p.path();
        }
        killedHolder("pipe", "p");
        // Valid on its own, but ring 1 would then start far beyond the end of the file.
        writeLong(file, HeaderLayout.paramOffset(PipeLayout.P_SLOTS), 1L << 22);
        ObjectFileException e = assertThrows(ObjectFileException.class,
                () -> SharedPipe.builder("p", Codecs.string()).directory(dir).open(PipeEnd.FIRST));
        assertTrue(e.getMessage().contains("slots=4194304"), e.getMessage());
    }

    /** Child JVM: opens a queue or a pipe end, says "holding" and waits to be killed. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            Path dir = Path.of(args[0]);
            AutoCloseable held = args[1].equals("queue")
                    ? SharedQueue.builder(args[2], Codecs.string()).directory(dir).open()
                    : SharedPipe.builder(args[2], Codecs.string()).directory(dir).open(PipeEnd.SECOND);
            System.out.println(held != null ? "holding" : "none");
            System.out.flush();
            Thread.sleep(120_000);
        }
    }
}
