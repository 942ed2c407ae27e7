package io.mmipc.internal.proc;

import io.mmipc.internal.log.Log;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Node files: one per process and node folder ({@code .nodes} beside the objects), named by the process's
 * token, created under a temporary name, locked (an exclusive fcntl lock over the whole file, through
 * {@link FileChannel#tryLock()}), and only then renamed into place, so that a node file seen under its name
 * is always locked while its process lives. The lock is held until the JVM exits; the kernel drops it at
 * death, whatever kills the process.
 *
 * <p>Another process tests a token by opening its node file read-only and trying a shared lock:
 * <ul>
 *   <li>the lock is refused: the owner holds it, so it is <b>alive</b>;</li>
 *   <li>the lock is granted: nobody holds it, so the owner is <b>dead</b> (the shared lock is released);</li>
 *   <li>the file does not exist: the owner never registered there or died and was cleaned up: <b>dead</b>;</li>
 *   <li>anything else (no descriptor left, no permission, an I/O error, a lock this JVM already holds):
 *       unknown, so <b>alive</b>.</li>
 * </ul>
 * Checks in this JVM are serialised: closing a descriptor drops every fcntl lock this process holds on the
 * file, so one check must not close its descriptor while another holds a shared lock through its own. A
 * process never opens its own node file a second time (see {@link ProcessIdentity} and {@link JvmTokens}).
 */
final class Nodes {
    /** What a node file says about a token. */
    enum Liveness {
        /** The lock is held, or the answer is unknown. */
        ALIVE,
        /** The file is there but nobody holds its lock. */
        DEAD,
        /** There is no node file for the token in that folder. */
        ABSENT
    }

    private static final String SUFFIX = ".node";
    private static final String TMP_PREFIX = ".tmp-";
    /** A temporary node file older than this belongs to a process that died while registering. */
    private static final long TMP_GRACE_MILLIS = 60_000;
    /** Node folders this copy registered in, with the lock it holds in each (insertion order). */
    private static final Map<Path, Held> REGISTERED = new LinkedHashMap<>();
    private static final Object CHECK_LOCK = new Object();

    private Nodes() {
    }

    /** A node file of this process and the lock on it; the channel stays open until the JVM exits. */
    private static final class Held {
        final Path file;
        final FileChannel channel;
        final FileLock lock;

        Held(Path file, FileChannel channel, FileLock lock) {
            this.file = file;
            this.channel = channel;
            this.lock = lock;
        }

        boolean isIntact() {
            return lock.isValid() && Files.exists(file, LinkOption.NOFOLLOW_LINKS);
        }
    }

    /** @return the node file name of {@code token}: 16 hexadecimal digits */
    static String fileName(long token) {
        String hex = Long.toHexString(token);
        return "0".repeat(16 - hex.length()) + hex;
    }

    static void register(Path nodesDir, long token, FileAttribute<?> attributes, ProcessIdentity.FileSetup setup)
            throws IOException {
        Path dir = nodesDir.toAbsolutePath().normalize();
        synchronized (REGISTERED) {
            Held held = REGISTERED.get(dir);
            if (held != null && held.isIntact()) {
                return;
            }
            if (held != null) {
                // Someone deleted our node file (or the whole folder): make a new one, or we would look dead.
                closeQuietly(held.channel);
            }
            REGISTERED.put(dir, create(dir, token, attributes, setup));
        }
        // Once per folder and process: node files of processes that died since the last sweep go, so the
        // folder does not grow with every short-lived process.
        removeDead(dir);
    }

    private static Held create(Path dir, long token, FileAttribute<?> attributes, ProcessIdentity.FileSetup setup)
            throws IOException {
        Path tmp = dir.resolve(TMP_PREFIX + fileName(token) + "-" + Long.toHexString(System.nanoTime()));
        Path target = dir.resolve(fileName(token) + SUFFIX);
        FileChannel channel = FileChannel.open(tmp, java.util.Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), attributes);
        try {
            setup.apply(tmp);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new IOException("cannot lock a new node file: file=" + tmp);
            }
            // Epoch milliseconds, not an Instant: formatting one loads java.time's formatters into every new process.
            String about = "mmipc node\npid=" + ProcessIdentity.pid(token) + "\nstartedEpochMillis="
                    + System.currentTimeMillis() + "\n";
            channel.write(ByteBuffer.wrap(about.getBytes(StandardCharsets.US_ASCII)), 0);
            // Renamed only once locked: a node file under its name is never seen unlocked while its owner lives.
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return new Held(target, channel, lock);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /** Checks a token (never one of this JVM's) in every node folder this copy registered in. */
    static boolean isAlive(long token) {
        List<Path> dirs = new ArrayList<>();
        synchronized (REGISTERED) {
            // A folder that is gone holds no node file: forget it, so checks do not grow with old folders.
            REGISTERED.entrySet().removeIf(e -> {
                boolean gone = !Files.isDirectory(e.getKey(), LinkOption.NOFOLLOW_LINKS);
                if (gone) {
                    closeQuietly(e.getValue().channel);
                }
                return gone;
            });
            dirs.addAll(REGISTERED.keySet());
        }
        if (dirs.isEmpty()) {
            return true; // nowhere to look: unknown
        }
        for (Path dir : dirs) {
            if (check(token, dir) == Liveness.ALIVE) {
                return true;
            }
        }
        return false;
    }

    /** Checks a token (never one of this JVM's) by its node file in {@code nodesDir}. */
    static Liveness check(long token, Path nodesDir) {
        Path file = nodesDir.resolve(fileName(token) + SUFFIX);
        synchronized (CHECK_LOCK) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                FileLock lock = ch.tryLock(0, Long.MAX_VALUE, true);
                if (lock == null) {
                    return Liveness.ALIVE;
                }
                lock.release();
                return Liveness.DEAD;
            } catch (NoSuchFileException e) {
                return Liveness.ABSENT;
            } catch (IOException | OverlappingFileLockException e) {
                return Liveness.ALIVE; // EMFILE, EACCES, ELOOP, a lock held in this JVM...: unknown
            } catch (RuntimeException e) {
                return Liveness.ALIVE;
            }
        }
    }

    static int removeDead(Path nodesDir) {
        int removed = 0;
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(nodesDir)) {
            stream.forEach(files::add);
        } catch (IOException e) {
            return 0;
        }
        long now = System.currentTimeMillis();
        for (Path f : files) {
            String name = f.getFileName().toString();
            if (name.endsWith(SUFFIX) && name.length() == 16 + SUFFIX.length()) {
                long token;
                try {
                    token = Long.parseUnsignedLong(name.substring(0, 16), 16);
                } catch (NumberFormatException e) {
                    continue;
                }
                if (JvmTokens.contains(token)) {
                    continue;
                }
            } else if (!name.startsWith(TMP_PREFIX) || !olderThan(f, now - TMP_GRACE_MILLIS)) {
                continue;
            }
            if (deleteIfUnlocked(f)) {
                removed++;
            }
        }
        return removed;
    }

    private static boolean olderThan(Path f, long millis) {
        try {
            FileTime t = Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS);
            return t.toMillis() < millis;
        } catch (IOException e) {
            return false;
        }
    }

    /** Deletes a node file nobody holds, holding its lock while deleting so no checker can misread it. */
    private static boolean deleteIfUnlocked(Path f) {
        synchronized (CHECK_LOCK) {
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS)) {
                FileLock lock = ch.tryLock();
                if (lock == null) {
                    return false;
                }
                Files.delete(f);
                return true;
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing to do: the descriptor is gone either way.
            Log.FILE.log(Level.DEBUG, "closing a node file failed", e);
        }
    }
}
