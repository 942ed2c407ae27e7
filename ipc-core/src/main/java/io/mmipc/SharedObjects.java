package io.mmipc;

import io.mmipc.internal.file.Directories;
import io.mmipc.internal.file.HeaderLayout;
import io.mmipc.internal.proc.ProcessIdentity;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Where shared objects live, and housekeeping: listing them, removing one by name, and finding and removing
 * the ones every process has abandoned (all that had them open died without removing them).
 */
public final class SharedObjects {
    private SharedObjects() {
    }

    /**
     * The default folder: {@code /dev/shm/mmipc-<user>} where {@code /dev/shm} exists, else
     * {@code <java.io.tmpdir>/mmipc-<user>}; the system property {@code mmipc.dir} overrides it. It is
     * created owner-only (0700) when the first object is made.
     */
    public static Path defaultDirectory() {
        return Directories.defaultDirectory();
    }

    /** @return the file of object {@code name} in {@code dir} */
    public static Path path(Path dir, String name) {
        return Directories.objectPath(dir, name);
    }

    /** @return the names of the objects in {@code dir} */
    public static List<String> list(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        for (Path f : objectFiles(dir)) {
            String n = f.getFileName().toString();
            names.add(n.substring(0, n.length() - Directories.SUFFIX.length()));
        }
        return names;
    }

    /**
     * Removes object {@code name} from {@code dir} (and a queue's side files). Processes that have it open
     * keep using it until they close it; new opens fail.
     *
     * @return true if it existed
     */
    public static boolean remove(Path dir, String name) throws IOException {
        Path f = Directories.objectPath(dir, name);
        boolean existed = Files.deleteIfExists(f);
        try (DirectoryStream<Path> spills = Files.newDirectoryStream(dir, f.getFileName() + ".spill-*")) {
            for (Path s : spills) {
                Files.deleteIfExists(s);
            }
        } catch (java.nio.file.NoSuchFileException ignored) {
            // no folder, nothing to remove
        }
        return existed;
    }

    /** Removes object {@code name} from the default folder. */
    public static boolean remove(String name) throws IOException {
        return remove(defaultDirectory(), name);
    }

    /**
     * Finds objects in {@code dir} that no live process has open. Files that are not mmipc objects are
     * left out.
     */
    public static List<String> findAbandoned(Path dir) throws IOException {
        List<String> abandoned = new ArrayList<>();
        for (Path f : objectFiles(dir)) {
            if (isAbandoned(f)) {
                String n = f.getFileName().toString();
                abandoned.add(n.substring(0, n.length() - Directories.SUFFIX.length()));
            }
        }
        return abandoned;
    }

    /** Removes every abandoned object in {@code dir}; returns their names. */
    public static List<String> removeAbandoned(Path dir) throws IOException {
        List<String> removed = findAbandoned(dir);
        for (String name : removed) {
            remove(dir, name);
        }
        return removed;
    }

    private static List<Path> objectFiles(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*" + Directories.SUFFIX)) {
            stream.forEach(files::add);
        }
        files.sort(null);
        return files;
    }

    private static boolean isAbandoned(Path f) throws IOException {
        int size = HeaderLayout.REGISTRY_OFFSET + HeaderLayout.REGISTRY_ENTRIES * HeaderLayout.ENTRY_SIZE;
        ByteBuffer head = ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            if (ch.size() < HeaderLayout.BODY_OFFSET) {
                return false;
            }
            while (head.hasRemaining() && ch.read(head, head.position()) > 0) {
                // keep reading
            }
        } catch (java.nio.file.NoSuchFileException gone) {
            return false;
        }
        if (head.getLong(HeaderLayout.MAGIC_OFFSET) != HeaderLayout.MAGIC) {
            return false;
        }
        for (int i = 0; i < HeaderLayout.REGISTRY_ENTRIES; i++) {
            long token = head.getLong(HeaderLayout.entryOffset(i)) & ~(1L << 63);
            if (token != 0 && ProcessIdentity.isAlive(token)) {
                return false;
            }
        }
        return true;
    }
}
