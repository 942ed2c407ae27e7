package io.mmipc.internal.file;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * An open that waits for the object to appear: a consumer may start before its producer. It waits on a
 * {@link WatchService} on the objects folder (inotify on Linux), so it is woken when the name is linked,
 * not by polling; while the folder itself does not exist yet it looks for it every 50 ms.
 */
public final class AwaitName {
    private static final long FOLDER_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** One open attempt, which throws {@link NoSuchFileException} while the object does not exist. */
    @FunctionalInterface
    public interface Opener<T> {
        /**
         * @return the opened object
         * @throws IOException as the open does
         */
        T open() throws IOException;
    }

    private AwaitName() {
    }

    /**
     * Opens, waiting up to {@code timeout} for the object to be created.
     *
     * @param file    the object's file
     * @param label   how messages name the object
     * @param timeout how long to wait for it
     * @param opener  one open attempt
     * @param <T>     the handle type
     * @return the open handle
     * @throws NoSuchFileException  if it did not appear in time
     * @throws IOException          as the open does (a refused or corrupt file is not waited for)
     * @throws InterruptedException if interrupted while waiting
     */
    public static <T> T open(Path file, String label, Duration timeout, Opener<T> opener)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        long nanos = timeout.isNegative() ? 0 : saturatedNanos(timeout);
        long deadline = start + nanos;
        while (true) {
            try {
                return opener.open();
            } catch (NoSuchFileException e) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !awaitName(file, left)) {
                    throw new NoSuchFileException(file.toString(), null, label + " did not appear within " + timeout);
                }
            }
        }
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE / 2;
        }
    }

    /** Waits until {@code file} exists; false if {@code nanos} pass first. */
    private static boolean awaitName(Path file, long nanos) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + nanos;
        Path dir = file.toAbsolutePath().getParent();
        while (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(left, FOLDER_POLL_NANOS));
        }
        try (WatchService watch = dir.getFileSystem().newWatchService()) {
            dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            // Checked after registering: a name linked before the watch began is seen here, after it by the watch.
            while (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                // At most a second per wait: a backstop re-check (say, if the folder was replaced), not the wake-up.
                var key = watch.poll(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            }
            return true;
        } catch (ClosedWatchServiceException e) {
            return Files.exists(file, LinkOption.NOFOLLOW_LINKS);
        }
    }
}
