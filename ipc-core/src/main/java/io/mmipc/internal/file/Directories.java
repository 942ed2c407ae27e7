package io.mmipc.internal.file;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Where objects live by default, and owner-only creation of folders and files. */
public final class Directories {
    /** rw------- for object files. */
    public static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_DIR =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    /** The file name suffix of every object. */
    public static final String SUFFIX = ".mmipc";

    private Directories() {
    }

    /**
     * The default folder: {@code /dev/shm/mmipc-<user>} where {@code /dev/shm} exists, else
     * {@code <java.io.tmpdir>/mmipc-<user>}; overridden by the system property {@code mmipc.dir}.
     */
    public static Path defaultDirectory() {
        String configured = System.getProperty("mmipc.dir");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        Path shm = Path.of("/dev/shm");
        Path base = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        return base.resolve("mmipc-" + user);
    }

    /**
     * Checks an object name: 1 to 200 characters from {@code [A-Za-z0-9._-]}, not starting with a dot.
     *
     * @throws IllegalArgumentException naming the problem
     */
    public static String checkName(String name) {
        if (name == null || name.isEmpty() || name.length() > 200 || name.startsWith(".")
                || !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("invalid object name (1-200 characters of [A-Za-z0-9._-], not "
                    + "starting with '.'): name=" + name);
        }
        return name;
    }

    /** @return the file of object {@code name} in {@code dir} */
    public static Path objectPath(Path dir, String name) {
        return dir.resolve(checkName(name) + SUFFIX);
    }

    /**
     * Creates a folder owner-only (0700) if it does not exist; refuses one that belongs to someone else or
     * that others can write to.
     */
    public static void ensurePrivateDirectory(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectories(dir.getParent());
                Files.createDirectory(dir, OWNER_ONLY_DIR);
            } catch (FileAlreadyExistsException raced) {
                // another process created it first: check it below
            }
        }
        PosixFileAttributes attrs = Files.readAttributes(dir, PosixFileAttributes.class);
        if (!attrs.isDirectory()) {
            throw new IOException("not a directory: " + dir);
        }
        String me = System.getProperty("user.name");
        Set<PosixFilePermission> perms = attrs.permissions();
        if (perms.contains(PosixFilePermission.OTHERS_WRITE) || perms.contains(PosixFilePermission.GROUP_WRITE)) {
            if (!attrs.owner().getName().equals(me) || !dir.startsWith(Path.of(System.getProperty("java.io.tmpdir")))) {
                throw new IOException("refusing a folder others can write to: " + dir + " "
                        + PosixFilePermissions.toString(perms));
            }
        }
    }
}
