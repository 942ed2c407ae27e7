package io.mmipc.queue;

import io.mmipc.ObjectFileException;
import io.mmipc.codec.Codecs;
import io.mmipc.internal.file.HeaderLayout;
import io.mmipc.internal.ring.QueueLayout;
import io.mmipc.pipe.SharedPipe;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files that are not the queue asked for fail to open with an {@link ObjectFileException} (or, for wrong
 * builder arguments, {@link IllegalArgumentException}) naming the file and the problem: never a crash, a
 * hang, or a silently wrong queue. And objects are private to their user.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class QueueFileTest {
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("files");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestDirs.delete(dir);
    }

    private QueueBuilder<String, ? extends SharedQueue<String>> plain(String name) {
        return SharedQueue.builder(name, Codecs.string()).directory(dir);
    }

    private QueueBuilder<String, SharedJoinableQueue<String>> joinable(String name) {
        return SharedJoinableQueue.builder(name, Codecs.string()).directory(dir);
    }

    private Path file(String name) {
        return dir.resolve(name + ".mmipc");
    }

    /** Asserts that opening fails with an ObjectFileException naming the file and containing {@code problem}. */
    private void assertBadFile(String name, Executable open, String problem) {
        ObjectFileException e = assertThrows(ObjectFileException.class, open);
        assertEquals(file(name), e.file());
        assertTrue(e.getMessage().contains(file(name).toString()), e.getMessage());
        assertTrue(e.getMessage().contains(problem), "expected '" + problem + "' in: " + e.getMessage());
    }

    private void patchInt(String name, long offset, int value) throws IOException {
        try (FileChannel ch = FileChannel.open(file(name), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, value), offset);
        }
    }

    private void patchLong(String name, long offset, long value) throws IOException {
        try (FileChannel ch = FileChannel.open(file(name), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, value), offset);
        }
    }

    /** Writes a foreign file the way a careless program of this user would, but owner-only (0600). */
    private static void plant(Path file, byte[] content) throws IOException {
        Files.write(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    private void makeQueue(String name) throws IOException {
        plain(name).capacity(4096).create().close();
    }

    @Test
    void foreignFilesAreRefusedByTheirMagicNumber() throws Exception {
        byte[] text = "this is not a queue\n".repeat(2000).getBytes(StandardCharsets.US_ASCII);
        plant(file("text"), text);
        assertBadFile("text", () -> plain("text").open(), "bad magic");
        assertBadFile("text", () -> plain("text").openOrCreate(), "bad magic");
        byte[] noise = new byte[1 << 16];
        new Random(3).nextBytes(noise);
        plant(file("noise"), noise);
        assertBadFile("noise", () -> joinable("noise").open(), "bad magic");
        assertEquals(text.length, Files.size(file("text")), "a refused file is left untouched");
    }

    @Test
    void emptyAndTruncatedFilesAreRefused() throws Exception {
        plant(file("empty"), new byte[0]);
        assertBadFile("empty", () -> plain("empty").open(), "too short");
        makeQueue("short");
        try (RandomAccessFile f = new RandomAccessFile(file("short").toFile(), "rw")) {
            f.setLength(100);
        }
        assertBadFile("short", () -> plain("short").open(), "too short");
        plain("half").capacity(1 << 16).create().close();
        long size = Files.size(file("half"));
        try (RandomAccessFile f = new RandomAccessFile(file("half").toFile(), "rw")) {
            f.setLength(size / 2);
        }
        assertBadFile("half", () -> plain("half").open(), "truncated");
        makeQueue("long");
        try (RandomAccessFile f = new RandomAccessFile(file("long").toFile(), "rw")) {
            f.setLength(f.length() + 4096);
        }
        assertBadFile("long", () -> plain("long").open(), "does not match");
    }

    @Test
    void objectsOfAnotherTypeAreRefused() throws Exception {
        joinable("j").create().close();
        assertBadFile("j", () -> plain("j").open(), "wrong object type: expected queue, found joinable queue");
        makeQueue("q");
        assertBadFile("q", () -> joinable("q").open(), "wrong object type: expected joinable queue, found queue");
        SharedPipe.builder("p", Codecs.string()).directory(dir).create().close();
        assertBadFile("p", () -> plain("p").open(), "found pipe");
        makeQueue("unknown");
        patchInt("unknown", HeaderLayout.TYPE_OFFSET, 77);
        assertBadFile("unknown", () -> plain("unknown").open(), "unknown type code 77");
    }

    @Test
    void otherLayoutVersionsAreRefused() throws Exception {
        makeQueue("v");
        patchInt("v", HeaderLayout.VERSION_OFFSET, QueueLayout.VERSION + 1);
        assertBadFile("v", () -> plain("v").open(), "unsupported layout version: expected=" + QueueLayout.VERSION
                + ", found=" + (QueueLayout.VERSION + 1));
    }

    @Test
    void corruptParametersAreRefused() throws Exception {
        makeQueue("slots");
        patchLong("slots", HeaderLayout.paramOffset(QueueLayout.P_SLOTS), 3);
        assertBadFile("slots", () -> plain("slots").open(), "corrupt queue header: slots=3");
        makeQueue("slot");
        patchLong("slot", HeaderLayout.paramOffset(QueueLayout.P_SLOT_SIZE), 128);
        assertBadFile("slot", () -> plain("slot").open(), "size does not match");
        makeQueue("max");
        patchLong("max", HeaderLayout.paramOffset(QueueLayout.P_MAX_SIZE), -1);
        assertBadFile("max", () -> plain("max").open(), "maxSize=-1");
        makeQueue("flags");
        patchLong("flags", HeaderLayout.paramOffset(QueueLayout.P_FLAGS), QueueLayout.FLAG_JOINABLE);
        assertBadFile("flags", () -> plain("flags").open(), "flags=1");
    }

    @Test
    void parametersThatDifferFromTheFileAreRefusedOnOpen() throws Exception {
        try (SharedQueue<String> q = plain("m").capacity(8192).slotSize(32).maxSize(10).create()) {
            assertBadFile("m", () -> plain("m").capacity(16384).open(), "capacity mismatch: requested=16384, file=8192");
            assertBadFile("m", () -> plain("m").slotSize(64).open(), "slot size mismatch: requested=64, file=32");
            assertBadFile("m", () -> plain("m").maxSize(11).open(), "maxSize mismatch: requested=11, file=10");
            assertBadFile("m", () -> plain("m").maxSize(0).openOrCreate(), "maxSize mismatch");
            try (SharedQueue<String> same = plain("m").capacity(8192).slotSize(32).maxSize(10).open();
                 SharedQueue<String> unspecified = plain("m").open()) {
                same.put("ok");
                assertEquals("ok", unspecified.take());
            }
            q.put("still works");
            assertEquals("still works", q.take());
        }
    }

    @Test
    void invalidBuilderArgumentsAreRefusedBeforeAnyFileIsTouched() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> plain("a").capacity(1023));
        assertThrows(IllegalArgumentException.class, () -> plain("a").capacity((1L << 30) + 1));
        assertThrows(IllegalArgumentException.class, () -> plain("a").slotSize(24));
        assertThrows(IllegalArgumentException.class, () -> plain("a").slotSize(8));
        assertThrows(IllegalArgumentException.class, () -> plain("a").maxSize(-1));
        assertThrows(IllegalArgumentException.class, () -> plain("a").capacity(1024).slotSize(1024).create());
        for (String bad : new String[] {"", ".hidden", "a/b", "../up", "sp ace", "x".repeat(201)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plain(bad));
            assertTrue(e.getMessage().contains("name=" + bad), e.getMessage());
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void filesAreOwnerOnlyAndCreatedFoldersToo() throws Exception {
        Path sub = dir.resolve("private");
        try (SharedQueue<byte[]> q = SharedQueue.builder("perm", Codecs.bytes()).directory(sub).capacity(4096).create()) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sub)));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(q.path())));
            q.put(new byte[100_000]);
            try (Stream<Path> files = Files.list(sub)) {
                Path spill = files.filter(f -> f.getFileName().toString().contains(".spill-")).findFirst().orElseThrow();
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(spill)));
            }
            assertEquals(100_000, q.take().length);
        }
        // A folder others may write to is refused (outside java.io.tmpdir): they could swap the files.
        Path open = dir.resolve("open");
        Files.createDirectory(open);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        if (!open.startsWith(Path.of(System.getProperty("java.io.tmpdir")))) {
            IOException e = assertThrows(IOException.class,
                    () -> SharedQueue.builder("x", Codecs.bytes()).directory(open).create());
            assertTrue(e.getMessage().contains(open.toString()), e.getMessage());
        }
    }
}
