package io.mmipc.internal.file;

import io.mmipc.ObjectFileException;
import io.mmipc.codec.Codecs;
import io.mmipc.internal.pipe.PipeLayout;
import io.mmipc.internal.ring.QueueLayout;
import io.mmipc.pipe.PipeEnd;
import io.mmipc.pipe.SharedPipe;
import io.mmipc.queue.SharedQueue;
import io.mmipc.testing.ChildJvm;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14 item 7 (file parts): a file whose parameters are corrupt is refused before this process attaches
 * to its registry, so no dead-entry clean-up ever runs on a header that was not trusted (it used to, and its
 * exception could hide the {@link ObjectFileException}).
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OpenValidationTest {
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("validate");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestDirs.delete(dir);
    }

    /** Child: opens end SECOND of pipe {@code args[1]} in {@code args[0]}, prints "ready", then sleeps. */
    public static final class PipeHolder {
        public static void main(String[] args) throws Exception {
            SharedPipe.builder(args[1], Codecs.string()).directory(Path.of(args[0])).open(PipeEnd.SECOND);
            System.out.println("ready");
            Thread.sleep(600_000);
        }
    }

    /** Child: opens (or creates) queue {@code args[1]} in {@code args[0]}, puts one item, prints "ready", sleeps. */
    public static final class QueueHolder {
        public static void main(String[] args) throws Exception {
            SharedQueue.builder(args[1], Codecs.string()).directory(Path.of(args[0])).openOrCreate().put("left");
            System.out.println("ready");
            Thread.sleep(600_000);
        }
    }

    private static ByteBuffer read(Path file, int length) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.read(b, 0);
        }
        return b;
    }

    private static void patchLong(Path file, long offset, long value) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, value), offset);
        }
    }

    private static int registered(Path file) throws Exception {
        ByteBuffer head = read(file, HeaderLayout.BODY_OFFSET);
        int n = 0;
        for (int i = 0; i < HeaderLayout.REGISTRY_ENTRIES; i++) {
            if (head.getLong(HeaderLayout.entryOffset(i) + HeaderLayout.ENTRY_TOKEN) != 0) {
                n++;
            }
        }
        return n;
    }

    private void assertRefusedUntouched(Path file, String problem, Executable open) throws Exception {
        assertEquals(1, registered(file), "the dead child's entry");
        ObjectFileException e = assertThrows(ObjectFileException.class, open);
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertEquals(1, registered(file), "nothing was reclaimed in a file that was refused");
    }

    @Test
    void aCorruptQueueIsRefusedBeforeItsDeadEntriesAreReclaimed() throws Exception {
        Path file = Directories.objectPath(dir, "q");
        try (ChildJvm child = ChildJvm.start(QueueHolder.class, dir.toString(), "q")) {
            child.expect("ready", Duration.ofSeconds(60));
            child.kill();
        }
        patchLong(file, HeaderLayout.paramOffset(QueueLayout.P_SLOTS), 3);
        assertRefusedUntouched(file, "corrupt queue header: slots=3",
                () -> SharedQueue.builder("q", Codecs.string()).directory(dir).open());
    }

    /** Before: a corrupt waiter slot's event offset was followed by every await, join and pipe poll. */
    @Test
    void aCorruptWaiterSlotIsRefusedOnOpen() throws Exception {
        io.mmipc.sync.SharedEvent.builder("e").directory(dir).create().close();
        Path file = Directories.objectPath(dir, "e");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, 0x7fff_0000),
                    HeaderLayout.waiterSlotOffset(5) + HeaderLayout.WAITER_EVENT);
        }
        ObjectFileException e = assertThrows(ObjectFileException.class,
                () -> io.mmipc.sync.SharedEvent.builder("e").directory(dir).open());
        assertTrue(e.getMessage().contains("corrupt waiter slot: slot=5, event=2147418112"), e.getMessage());
    }

    @Test
    void aCorruptPipeIsRefusedBeforeItsDeadEntriesAreReclaimed() throws Exception {
        Path file = Directories.objectPath(dir, "p");
        SharedPipe.builder("p", Codecs.string()).directory(dir).create(PipeEnd.FIRST).close();
        try (ChildJvm child = ChildJvm.start(PipeHolder.class, dir.toString(), "p")) {
            child.expect("ready", Duration.ofSeconds(60));
            child.kill();
        }
        patchLong(file, HeaderLayout.paramOffset(PipeLayout.P_SLOT_SIZE), 24);
        assertRefusedUntouched(file, "corrupt pipe header",
                () -> SharedPipe.builder("p", Codecs.string()).directory(dir).open(PipeEnd.FIRST));
    }
}
