package io.mmipc.internal.file;

import io.mmipc.internal.proc.ProcessIdentity;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Finding and removing what dead processes left in an objects folder: objects no live process has open,
 * the hidden temporary files of creators killed before publishing ({@code .NAME.mmipc.tmp-<token>-...}),
 * and the node files of dead processes. Removal holds the folder's {@link FolderLock} exclusively, so it
 * never races with an open (see there).
 */
public final class Abandoned {
    private static final String TMP_MARK = Directories.SUFFIX + SharedFile.TMP_INFIX;

    /** Deletes one object (and whatever belongs to it) by name. */
    @FunctionalInterface
    public interface Deleter {
        /**
         * @param name the object's name
         * @throws IOException if it cannot be deleted
         */
        void delete(String name) throws IOException;
    }

    private Abandoned() {
    }

    /**
     * Lists what dead processes left in {@code dir}: names of abandoned objects, then file names (starting
     * with a dot) of temporary files whose creator died.
     *
     * @param dir the objects folder
     * @return the names, sorted within each kind
     * @throws IOException if the folder cannot be read
     */
    public static List<String> find(Path dir) throws IOException {
        List<String> found = new ArrayList<>();
        Path nodes = Directories.nodesDirectory(dir);
        for (Path f : objectFiles(dir)) {
            if (isAbandoned(f, nodes)) {
                found.add(objectName(f));
            }
        }
        for (Path t : deadTemporaryFiles(dir, nodes)) {
            found.add(t.getFileName().toString());
        }
        return found;
    }

    /**
     * Removes what {@link #find} lists, excluding concurrent opens, and then the node files of dead processes.
     *
     * @param dir     the objects folder (checked as for any use: owner, mode, no symbolic link)
     * @param deleter deletes one object by name
     * @return what was removed, as {@link #find} names it
     * @throws IOException if the folder is refused or cannot be read
     */
    public static List<String> remove(Path dir, Deleter deleter) throws IOException {
        List<String> removed = new ArrayList<>();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            FileAccess.checkDirectory(dir); // a symbolic link is refused by name; absence is just nothing to do
            return removed;
        }
        Directories.prepare(dir, false);
        Path nodes = Directories.nodesDirectory(dir);
        synchronized (SharedFile.attachLock()) {
            FileLock lock = FolderLock.acquire(dir, false);
            try {
                for (Path f : objectFiles(dir)) {
                    // Checked again under the lock: nobody can be opening it now, and nobody is attached.
                    if (isAbandoned(f, nodes)) {
                        deleter.delete(objectName(f));
                        removed.add(objectName(f));
                    }
                }
                for (Path t : deadTemporaryFiles(dir, nodes)) {
                    if (Files.deleteIfExists(t)) {
                        removed.add(t.getFileName().toString());
                    }
                }
            } finally {
                lock.release();
            }
        }
        ProcessIdentity.removeDeadNodes(nodes);
        return removed;
    }

    /** @return the object files in {@code dir}, sorted */
    public static List<Path> objectFiles(Path dir) throws IOException {
        return list(dir, "*" + Directories.SUFFIX);
    }

    private static List<Path> list(Path dir, String glob) throws IOException {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return files;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, glob)) {
            stream.forEach(files::add);
        }
        files.sort(null);
        return files;
    }

    private static String objectName(Path f) {
        String n = f.getFileName().toString();
        return n.substring(0, n.length() - Directories.SUFFIX.length());
    }

    /**
     * @param fileName a file name such as {@code .NAME.mmipc.tmp-<token>-<nanos>}
     * @return the process token of the creator it names, or 0 if it is not such a temporary file
     */
    public static long temporaryFileCreator(String fileName) {
        int mark = fileName.lastIndexOf(TMP_MARK);
        if (mark < 0) {
            return 0;
        }
        int at = mark + TMP_MARK.length();
        return fileName.length() >= at + 16 ? ProcessIdentity.fromHex(fileName.substring(at, at + 16)) : 0;
    }

    private static List<Path> deadTemporaryFiles(Path dir, Path nodes) throws IOException {
        List<Path> dead = new ArrayList<>();
        for (Path t : list(dir, ".*" + TMP_MARK + "*")) {
            long creator = temporaryFileCreator(t.getFileName().toString());
            if (creator != 0 && !ProcessIdentity.isAlive(creator, nodes)) {
                dead.add(t);
            }
        }
        return dead;
    }

    private static boolean isAbandoned(Path f, Path nodes) throws IOException {
        int size = HeaderLayout.REGISTRY_OFFSET + HeaderLayout.REGISTRY_ENTRIES * HeaderLayout.ENTRY_SIZE;
        ByteBuffer head = ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            if (ch.size() < HeaderLayout.BODY_OFFSET) {
                return false;
            }
            while (head.hasRemaining() && ch.read(head, head.position()) > 0) {
                // keep reading
            }
        } catch (NoSuchFileException gone) {
            return false;
        }
        if (head.getLong(HeaderLayout.MAGIC_OFFSET) != HeaderLayout.MAGIC) {
            return false;
        }
        for (int i = 0; i < HeaderLayout.REGISTRY_ENTRIES; i++) {
            long token = head.getLong(HeaderLayout.entryOffset(i) + HeaderLayout.ENTRY_TOKEN) & Long.MAX_VALUE;
            if (token != 0 && ProcessIdentity.isAlive(token, nodes)) {
                return false;
            }
        }
        return true;
    }
}
