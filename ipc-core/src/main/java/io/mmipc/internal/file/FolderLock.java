package io.mmipc.internal.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Makes opening an object and removing abandoned ones exclude each other, across processes: an fcntl lock on
 * {@code .nodes/open.lock} in the objects folder, taken <em>shared</em> by every open from opening the file
 * until this process is in its registry, and <em>exclusive</em> by {@code SharedObjects.removeAbandoned}
 * while it checks registries and unlinks. So a removal never unlinks a file someone is opening (it sees the
 * opener in the registry), and an open never attaches to a file a removal unlinked (it opens the name only
 * once the removal is over).
 *
 * <p>The lock file's channel is opened once per folder and never closed (closing any descriptor of a file
 * drops all of this process's fcntl locks on it), and every use is under {@link SharedFile#attachLock()},
 * so no two threads of this copy of mmipc use it at once ({@link OverlappingFileLockException} would be
 * thrown; another copy in this JVM can still collide, and then the caller waits and tries again).
 */
final class FolderLock {
    private static final String NAME = "open.lock";
    private static final Map<Path, Held> CHANNELS = new HashMap<>();

    private FolderLock() {
    }

    private static final class Held {
        final FileChannel channel;
        final Object fileKey;

        Held(FileChannel channel, Object fileKey) {
            this.channel = channel;
            this.fileKey = fileKey;
        }
    }

    /**
     * Takes the folder's lock; the caller holds {@link SharedFile#attachLock()} until it releases it.
     *
     * @param dir    the objects folder (already prepared, see {@link Directories#prepare})
     * @param shared true for an open, false for a removal
     * @return the lock, to release when done
     * @throws IOException if the lock file cannot be opened or locked
     */
    static FileLock acquire(Path dir, boolean shared) throws IOException {
        FileChannel channel = channel(dir);
        for (int attempt = 0; ; attempt++) {
            try {
                return channel.lock(0, 1, shared);
            } catch (OverlappingFileLockException otherCopy) {
                // Another copy of mmipc in this JVM holds it: it lets go within one open.
                if (attempt > 10_000) {
                    throw new IOException("folder lock held too long in this JVM: file=" + dir.resolve(NAME));
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted waiting for " + dir.resolve(NAME));
                }
            }
        }
    }

    private static FileChannel channel(Path dir) throws IOException {
        Path file = Directories.nodesDirectory(dir.toAbsolutePath().normalize()).resolve(NAME);
        Held held = CHANNELS.get(file);
        if (held != null && held.channel.isOpen() && Objects.equals(held.fileKey, key(file))) {
            return held.channel;
        }
        if (held != null) {
            // The folder was removed and made again since: the old descriptor locks a deleted file.
            held.channel.close();
        }
        FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), FileAccess.fileAttribute());
        try {
            FileAccess.applySharing(file, false); // group and mode, when this process created it
        } catch (IOException notOurs) {
            // made by another member of the sharing group: its creator set it up
        }
        CHANNELS.put(file, new Held(channel, key(file)));
        return channel;
    }

    private static Object key(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }
}
