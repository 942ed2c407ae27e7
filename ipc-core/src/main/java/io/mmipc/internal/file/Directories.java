package io.mmipc.internal.file;

import io.mmipc.internal.proc.ProcessIdentity;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Where objects live by default, names, and the creation and checking of objects folders (the rules are in
 * {@link FileAccess}).
 */
public final class Directories {
    /** rw------- for object files. */
    public static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_DIR =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    /** The node folder inside every objects folder: one locked file per live process (see ProcessIdentity). */
    public static final String NODES = ".nodes";
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
        String user = safeName(System.getProperty("user.name", "user"));
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
                || !safeName(name).equals(name)) {
            throw new IllegalArgumentException("invalid object name (1-200 characters of [A-Za-z0-9._-], not "
                    + "starting with '.'): name=" + name);
        }
        return name;
    }

    /**
     * @param text any text
     * @return {@code text} with every character outside {@code [A-Za-z0-9._-]} replaced by {@code _} (a loop, not
     *         a regular expression: it runs in every new process's first open, where loading the regex engine
     *         costs start-up time)
     */
    public static String safeName(String text) {
        char[] chars = text.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            char c = chars[i];
            boolean ok = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_'
                    || c == '-';
            if (!ok) {
                chars[i] = '_';
            }
        }
        return new String(chars);
    }

    /** @return the file of object {@code name} in {@code dir} */
    public static Path objectPath(Path dir, String name) {
        return dir.resolve(checkName(name) + SUFFIX);
    }

    /**
     * Creates a folder (0700, or 0770 for the group of {@link FileAccess#GROUP_PROPERTY}) if it does not
     * exist, then checks it with {@link FileAccess#checkDirectory}: a real folder on a local file system,
     * owned by this user (or the sharing group) and closed to others.
     *
     * @param dir the folder
     * @throws java.nio.file.AccessDeniedException naming path, owner and mode if it is refused
     * @throws IOException if it cannot be created or read
     */
    public static void ensurePrivateDirectory(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectories(dir.getParent());
                Files.createDirectory(dir, OWNER_ONLY_DIR);
                FileAccess.applySharing(dir, true);
            } catch (FileAlreadyExistsException raced) {
                // another process created it first: check it below
            }
        }
        FileAccess.checkDirectory(dir);
    }

    /**
     * Prepares an objects folder for use by this process: checks it (creating it if {@code create}),
     * creates and checks its node folder {@value #NODES}, and registers this process there (see
     * {@link ProcessIdentity}), before this process's token is written into any object of the folder.
     *
     * @param dir    the objects folder
     * @param create whether to create the folder when missing
     * @throws java.nio.file.NoSuchFileException if the folder does not exist and {@code create} is false
     * @throws IOException if the folder is refused or the node file cannot be made
     */
    public static void prepare(Path dir, boolean create) throws IOException {
        if (create) {
            ensurePrivateDirectory(dir);
        } else {
            FileAccess.checkDirectory(dir);
        }
        Path nodes = nodesDirectory(dir);
        ensurePrivateDirectory(nodes);
        ProcessIdentity.register(nodes, FileAccess.fileAttribute(), f -> FileAccess.applySharing(f, false));
    }

    /** @return the node folder of an objects folder (see {@link ProcessIdentity}) */
    public static Path nodesDirectory(Path dir) {
        return dir.resolve(NODES);
    }
}
