package io.mmipc;

import io.mmipc.internal.file.Abandoned;
import io.mmipc.internal.file.Directories;
import io.mmipc.internal.file.HeaderLayout;
import io.mmipc.internal.proc.ProcessIdentity;
import io.mmipc.internal.ring.Spill;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
     *
     * @return the default folder (not created by this call)
     */
    public static Path defaultDirectory() {
        return Directories.defaultDirectory();
    }

    /**
     * {@return the file of object {@code name} in {@code dir}}
     *
     * @param dir the folder
     * @param name the object's name
     */
    public static Path path(Path dir, String name) {
        return Directories.objectPath(dir, name);
    }

    /**
     * {@return the names of the objects in {@code dir}}
     *
     * @param dir the folder
     * @throws IOException if the folder cannot be read
     */
    public static List<String> list(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        for (Path f : Abandoned.objectFiles(dir)) {
            String n = f.getFileName().toString();
            names.add(n.substring(0, n.length() - Directories.SUFFIX.length()));
        }
        return names;
    }

    /**
     * Removes object {@code name} from {@code dir}, and its side files: a queue's or pipe's spills unless a
     * live process still has it open (then they go with its last handle), a map's or list's heap segments.
     * Processes that have it open keep using it until they close it; new opens fail.
     *
     * @param dir the folder
     * @param name the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @return true if it existed
     * @throws IOException if a file cannot be removed
     */
    public static boolean remove(Path dir, String name) throws IOException {
        Path f = Directories.objectPath(dir, name);
        // Spills go too, unless a live process still has the object open (then with its last handle).
        boolean existed = Spill.unlinkObject(f);
        try (DirectoryStream<Path> segments = Files.newDirectoryStream(dir, f.getFileName() + ".seg-*")) {
            for (Path s : segments) {
                Files.deleteIfExists(s);
            }
        } catch (java.nio.file.NoSuchFileException ignored) {
            // no folder, nothing to remove
        }
        return existed;
    }

    /**
     * Removes object {@code name} from the default folder.
     *
     * @param name the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @return true if the object existed and was removed
     * @throws IOException if a file cannot be removed
     */
    public static boolean remove(String name) throws IOException {
        return remove(defaultDirectory(), name);
    }

    /**
     * Finds what dead processes left in {@code dir}: the names of objects that no live process has open,
     * then the file names (starting with a dot) of temporary files of creators that died before publishing.
     * Files that are not mmipc objects are left out.
     *
     * @param dir the objects folder
     * @return the names found
     * @throws IOException if the folder cannot be read
     */
    public static List<String> findAbandoned(Path dir) throws IOException {
        return Abandoned.find(dir);
    }

    /**
     * Removes everything {@link #findAbandoned} finds, and the node files of dead processes. An object that
     * another process is opening at the same moment is not removed: opening and removal exclude each other
     * (see {@code docs/identity.md}).
     *
     * @param dir the objects folder
     * @return what was removed, named as {@link #findAbandoned} names it
     * @throws IOException if the folder is refused (see {@code docs/identity.md}) or cannot be read
     */
    public static List<String> removeAbandoned(Path dir) throws IOException {
        return Abandoned.remove(dir, name -> remove(dir, name));
    }
}
