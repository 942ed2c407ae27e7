package io.mmipc.internal.log;

import io.mmipc.codec.Codecs;
import io.mmipc.internal.file.HeaderLayout;
import io.mmipc.queue.LostTasksException;
import io.mmipc.queue.SharedJoinableQueue;
import io.mmipc.sync.LockOutcome;
import io.mmipc.sync.SharedLock;
import io.mmipc.testing.ChildJvm;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recovery events reach {@code System.Logger} (here its default backend, {@code java.util.logging}, with a
 * capturing handler) at the documented levels and names, and the header's operator counters count them:
 * a child JVM killed while holding a lock or a task, then recovered from by this process.
 */
@Timeout(120)
class DiagnosticsTest {
    private static final Duration STARTUP = Duration.ofSeconds(30);

    /** Held strongly: java.util.logging keeps only weak references to loggers. */
    private final Logger mmipc = Logger.getLogger("io.mmipc");
    private final Capture capture = new Capture();
    private Path dir;

    /** Child: creates lock {@code l} or takes one task of queue {@code q}, says so, and waits to be killed. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            Path dir = Path.of(args[0]);
            if (args[1].equals("lock")) {
                SharedLock lock = SharedLock.builder("l").directory(dir).create();
                lock.lock();
                System.out.println("locked");
            } else {
                SharedJoinableQueue<String> q = SharedJoinableQueue.builder("q", Codecs.string()).directory(dir).open();
                System.out.println("took " + q.get());
            }
            Thread.sleep(600_000);
        }
    }

    /** Collects every record published under {@code io.mmipc}. */
    static final class Capture extends Handler {
        final List<LogRecord> records = new CopyOnWriteArrayList<>();

        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        List<LogRecord> on(String logger, Level level) {
            return records.stream().filter(r -> r.getLoggerName().equals(logger) && r.getLevel().equals(level))
                    .collect(Collectors.toList());
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("diag");
        mmipc.setLevel(Level.ALL);
        mmipc.addHandler(capture);
        mmipc.setUseParentHandlers(false);
    }

    @AfterEach
    void tearDown() throws Exception {
        mmipc.removeHandler(capture);
        mmipc.setUseParentHandlers(true);
        mmipc.setLevel(null);
        TestDirs.delete(dir);
    }

    @Test
    void takeoverOfADeadOwnersLockIsAWarningNamingTheLockAndThePid() throws Exception {
        long childPid;
        try (ChildJvm child = ChildJvm.start(Holder.class, dir.toString(), "lock")) {
            child.expect("locked", STARTUP);
            childPid = child.pid();
            child.kill();
        }
        try (SharedLock lock = SharedLock.builder("l").directory(dir).open()) {
            // Opening reclaimed the dead child's registry entry: routine, so DEBUG (java.util.logging's FINE).
            List<LogRecord> reclaims = capture.on("io.mmipc.file", Level.FINE);
            assertEquals(1, reclaims.size(), "reclaim records: " + capture.records);
            assertTrue(reclaims.get(0).getMessage().contains("lock 'l'"), reclaims.get(0).getMessage());
            assertTrue(reclaims.get(0).getMessage().contains("pid=" + childPid), reclaims.get(0).getMessage());
            assertTrue(capture.on("io.mmipc.sync", Level.WARNING).isEmpty(), "no takeover yet");

            assertEquals(LockOutcome.ACQUIRED_OWNER_DIED, lock.acquire(Duration.ofSeconds(10)));
            List<LogRecord> takeovers = capture.on("io.mmipc.sync", Level.WARNING);
            assertEquals(1, takeovers.size(), "takeover records: " + capture.records);
            String message = takeovers.get(0).getMessage();
            assertTrue(message.contains("lock 'l'") && message.contains("pid=" + childPid), message);
            lock.unlock();

            assertEquals(1, counter(dir.resolve("l.mmipc"), HeaderLayout.COUNTER_TAKEOVERS));
            assertEquals(1, counter(dir.resolve("l.mmipc"), HeaderLayout.COUNTER_RECLAIMS));
            assertEquals(LockOutcome.ACQUIRED, lock.acquire(Duration.ofSeconds(1)));
            lock.unlock();
            assertEquals(1, capture.on("io.mmipc.sync", Level.WARNING).size(), "a normal acquire logs nothing");
        }
    }

    @Test
    void tasksLostWithAKilledConsumerAreAWarning() throws Exception {
        try (SharedJoinableQueue<String> q = SharedJoinableQueue.builder("q", Codecs.string()).directory(dir)
                .create()) {
            q.put("job");
            long childPid;
            try (ChildJvm child = ChildJvm.start(Holder.class, dir.toString(), "queue")) {
                child.expect("took job", STARTUP);
                childPid = child.pid();
                child.kill();
            }
            assertThrows(LostTasksException.class, () -> q.join(Duration.ofSeconds(20)));
            List<LogRecord> lost = capture.on("io.mmipc.queue", Level.WARNING);
            assertEquals(1, lost.size(), "records: " + capture.records);
            String message = lost.get(0).getMessage();
            assertTrue(message.contains("queue 'q'") && message.contains("1 task(s) lost")
                    && message.contains("pid=" + childPid), message);
            assertEquals(1, counter(q.path(), HeaderLayout.COUNTER_RECLAIMS));
        }
    }

    @Test
    void normalUseLogsNothing() throws Exception {
        try (SharedJoinableQueue<String> q = SharedJoinableQueue.builder("q", Codecs.string()).directory(dir)
                .create(); SharedLock lock = SharedLock.builder("l").directory(dir).create()) {
            q.put("job");
            q.get();
            q.taskDone();
            q.join();
            lock.lock();
            lock.unlock();
        }
        assertEquals(List.of(), capture.records);
    }

    /** Reads an operator counter from outside, as {@code mmipc inspect} does. */
    static long counter(Path file, int offset) throws IOException {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            byte[] word = new byte[8];
            in.seek(offset);
            in.readFully(word);
            return ByteBuffer.wrap(word).order(ByteOrder.nativeOrder()).getLong();
        }
    }
}
