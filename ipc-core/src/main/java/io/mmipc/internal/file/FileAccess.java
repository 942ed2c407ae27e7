package io.mmipc.internal.file;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may own and access the objects folder and its files, checked without following symbolic links.
 *
 * <p><b>Private (the default).</b> The folder and every file in it must be owned by the current user and
 * give group and others no access at all (folders 0700, files 0600). A folder or file that is a symbolic
 * link, that belongs to someone else, or that group or others may read, write or enter is refused with an
 * {@link AccessDeniedException} naming the path, its owner, its group and its mode.
 *
 * <p><b>Shared with a group (opt-in).</b> With the system property {@value #GROUP_PROPERTY} set to a group
 * name, mmipc creates folders 0770 and files 0660 owned by that group, and accepts a folder or file that
 * gives others no access and either belongs to that group or is the current user's and gives its group
 * no access. Members of the group can then use each other's objects; everyone in the group is trusted with
 * every object in the folder.
 *
 * <p><b>Local file systems only.</b> Liveness rests on fcntl locks held by processes of one kernel, and
 * shared memory on pages of one machine: a folder on a network or user-space file system (NFS, CIFS/SMB,
 * 9p, virtiofs, FUSE, Ceph, Lustre, ...) is refused.
 */
public final class FileAccess {
    /** The system property naming the group objects are shared with (unset: private to the user). */
    public static final String GROUP_PROPERTY = "mmipc.group";
    private static final Set<PosixFilePermission> GROUP_BITS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE);
    private static final Set<PosixFilePermission> OTHER_BITS = EnumSet.of(PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final Set<String> REMOTE_TYPES = Set.of("nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs",
            "ncpfs", "9p", "virtiofs", "ceph", "glusterfs", "lustre", "gpfs", "afs", "ocfs2", "gfs2", "beegfs",
            "fuse", "fuseblk");
    private static volatile UserPrincipal me;
    /** Folders already found on a local file system. */
    private static final Set<Path> LOCAL = ConcurrentHashMap.newKeySet();

    private FileAccess() {
    }

    /** @return the group objects are shared with, or null when they are private */
    public static String sharingGroup() {
        String g = System.getProperty(GROUP_PROPERTY);
        return g == null || g.isBlank() ? null : g.trim();
    }

    /** @return the permissions a new object file gets (0600, or 0660 when shared with a group) */
    public static FileAttribute<Set<PosixFilePermission>> fileAttribute() {
        return PosixFilePermissions.asFileAttribute(filePermissions());
    }

    static Set<PosixFilePermission> filePermissions() {
        return PosixFilePermissions.fromString(sharingGroup() == null ? "rw-------" : "rw-rw----");
    }

    static Set<PosixFilePermission> directoryPermissions() {
        return PosixFilePermissions.fromString(sharingGroup() == null ? "rwx------" : "rwxrwx---");
    }

    /**
     * Gives a file or folder this process just created the configured owner group and exact mode (the
     * process umask may have narrowed the mode it was created with).
     *
     * @param path      what was created
     * @param directory whether it is a folder
     * @throws IOException if the group does not exist or cannot be set
     */
    public static void applySharing(Path path, boolean directory) throws IOException {
        String group = sharingGroup();
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (group != null) {
            GroupPrincipal g = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
            view.setGroup(g);
        }
        view.setPermissions(directory ? directoryPermissions() : filePermissions());
    }

    /**
     * Checks an existing folder: a real folder (not a link), on a local file system, and owned and
     * accessible as the rules above say.
     *
     * @param dir the folder
     * @throws AccessDeniedException naming path, owner, group and mode if it is refused
     * @throws IOException           if it cannot be read
     */
    public static void checkDirectory(Path dir) throws IOException {
        PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.isSymbolicLink()) {
            throw refused(dir, a, "a symbolic link (objects folders are used only as real folders)");
        }
        if (!a.isDirectory()) {
            throw refused(dir, a, "not a folder");
        }
        checkOwnerAndMode(dir, a);
        checkLocal(dir);
    }

    /**
     * Checks an existing object (or side or node) file: a regular file, not a link, owned and accessible as
     * the rules above say.
     *
     * @param file the file
     * @throws AccessDeniedException naming path, owner, group and mode if it is refused
     * @throws IOException           if it cannot be read (NoSuchFileException if it does not exist)
     */
    public static void checkFile(Path file) throws IOException {
        PosixFileAttributes a = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.isSymbolicLink()) {
            throw refused(file, a, "a symbolic link");
        }
        if (!a.isRegularFile()) {
            throw refused(file, a, "not a regular file");
        }
        checkOwnerAndMode(file, a);
    }

    private static void checkOwnerAndMode(Path path, PosixFileAttributes a) throws IOException {
        Set<PosixFilePermission> perms = a.permissions();
        boolean others = !java.util.Collections.disjoint(perms, OTHER_BITS);
        boolean group = !java.util.Collections.disjoint(perms, GROUP_BITS);
        boolean mine = a.owner().equals(currentUser());
        String sharing = sharingGroup();
        if (others) {
            throw refused(path, a, "others may access it");
        }
        if (sharing == null) {
            if (!mine) {
                throw refused(path, a, "owned by another user");
            }
            if (group) {
                throw refused(path, a, "its group may access it (set -D" + GROUP_PROPERTY + "=<group> to share)");
            }
        } else if (!a.group().getName().equals(sharing) && !(mine && !group)) {
            throw refused(path, a, "neither of group " + sharing + " nor private to this user");
        }
    }

    /**
     * Refuses a folder on a file system that is not local to this machine.
     *
     * @param dir the folder
     * @throws IOException naming the folder and the file system type if it is remote
     */
    public static void checkLocal(Path dir) throws IOException {
        Path key = dir.toAbsolutePath().normalize();
        if (LOCAL.contains(key)) {
            return; // the mount table is read once per folder, not on every open
        }
        String type = Files.getFileStore(dir).type().toLowerCase(Locale.ROOT);
        if (isRemote(type)) {
            throw new IOException("refusing " + dir + ": file system type=" + type + " is not a local file system"
                    + " (mmipc needs one kernel's shared memory and fcntl locks: use /dev/shm or a local disk)");
        }
        LOCAL.add(key);
    }

    /** @return whether a file system type (as in /proc/mounts) is one mmipc refuses */
    static boolean isRemote(String type) {
        String t = type.toLowerCase(Locale.ROOT);
        return REMOTE_TYPES.contains(t) || t.startsWith("fuse.") && !t.equals("fuse.fuse-overlayfs");
    }

    private static AccessDeniedException refused(Path path, PosixFileAttributes a, String why) {
        return new AccessDeniedException(path.toString(), null, "refused, " + why + ": owner="
                + a.owner().getName() + ", group=" + a.group().getName() + ", mode="
                + PosixFilePermissions.toString(a.permissions()) + ", user=" + currentUser().getName()
                + " (see docs/identity.md)");
    }

    /**
     * Creates an empty file of this process's own in the temporary folder. Named by pid and clock rather than by
     * {@link Files#createTempFile}, whose random name would initialise the security providers (20–30 ms of a
     * fresh JVM's start-up); created exclusively, so a name already taken is simply skipped.
     */
    private static Path ownerProbe() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        for (int attempt = 0; ; attempt++) {
            Path probe = tmp.resolve("mmipc-owner-" + ProcessHandle.current().pid() + "-"
                    + Long.toHexString(System.nanoTime()) + ".tmp");
            try {
                return Files.createFile(probe);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt == 16) {
                    throw e;
                }
            }
        }
    }

    /**
     * @return the user this process creates files as (found once, by creating one), for comparing owners by
     *         user id
     */
    public static UserPrincipal currentUser() {
        UserPrincipal u = me;
        if (u == null) {
            try {
                Path probe = ownerProbe();
                try {
                    u = Files.getOwner(probe, LinkOption.NOFOLLOW_LINKS);
                } finally {
                    Files.deleteIfExists(probe);
                }
            } catch (IOException e) {
                try {
                    u = Path.of("/").getFileSystem().getUserPrincipalLookupService()
                            .lookupPrincipalByName(System.getProperty("user.name"));
                } catch (IOException f) {
                    throw new IllegalStateException("cannot tell which user this process runs as: " + f, f);
                }
            }
            me = u;
        }
        return u;
    }
}
