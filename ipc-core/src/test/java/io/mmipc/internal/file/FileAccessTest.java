package io.mmipc.internal.file;

import io.mmipc.codec.Codecs;
import io.mmipc.queue.SharedQueue;
import io.mmipc.sync.SharedLock;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Ownership and permissions (issue 15): a folder or file that is not the user's own, that group or others
 * may access, or that is a symbolic link is refused with an error naming path, owner and mode; sharing with
 * a group is an explicit opt-in.
 */
@Timeout(60)
class FileAccessTest {
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("access");
    }

    @AfterEach
    void tearDown() throws Exception {
        System.clearProperty(FileAccess.GROUP_PROPERTY);
        TestDirs.delete(dir);
    }

    private static void assertRefused(Path path, String why, Executable open) {
        AccessDeniedException e = assertThrows(AccessDeniedException.class, open);
        assertEquals(path.toString(), e.getFile());
        assertTrue(e.getMessage().contains(why), "expected '" + why + "' in: " + e.getMessage());
        assertTrue(e.getMessage().contains("owner=") && e.getMessage().contains("mode="), e.getMessage());
    }

    private static UserPrincipal nobody() throws Exception {
        return Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    }

    private static boolean isRoot() throws Exception {
        Path probe = Files.createTempFile("mmipc-root", ".tmp");
        try {
            return Files.getOwner(probe).getName().equals("root");
        } finally {
            Files.delete(probe);
        }
    }

    @Test
    void aPlantedFileOthersMayWriteIsRefused() throws Exception {
        SharedQueue.builder("q", Codecs.string()).directory(dir).capacity(4096).create().close();
        Path file = Directories.objectPath(dir, "q");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertRefused(file, "mode=rw-rw-rw-", () -> SharedQueue.builder("q", Codecs.string()).directory(dir).open());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        assertRefused(file, "its group may access it", () -> SharedQueue.builder("q", Codecs.string())
                .directory(dir).open());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        SharedQueue.builder("q", Codecs.string()).directory(dir).open().close();
    }

    @Test
    void aFileOwnedByAnotherUserIsRefused() throws Exception {
        assumeTrue(isRoot(), "needs root to chown");
        SharedLock.builder("l").directory(dir).create().close();
        Path file = Directories.objectPath(dir, "l");
        Files.setOwner(file, nobody());
        assertRefused(file, "owned by another user: owner=nobody", () -> SharedLock.builder("l").directory(dir).open());
    }

    @Test
    void aFolderOwnedByAnotherUserIsRefused() throws Exception {
        assumeTrue(isRoot(), "needs root to chown");
        Path theirs = dir.resolve("theirs");
        Files.createDirectory(theirs, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setOwner(theirs, nobody());
        assertRefused(theirs, "owned by another user", () -> SharedLock.builder("l").directory(theirs).create());
        assertRefused(theirs, "owned by another user", () -> SharedLock.builder("l").directory(theirs).open());
        assertRefused(theirs, "owned by another user", () -> SharedLock.builder("l").directory(theirs).openOrCreate());
        try (var files = Files.list(theirs)) {
            assertEquals(0, files.count(), "nothing was created in it");
        }
    }

    @Test
    void aSymbolicLinkIsNotFollowed() throws Exception {
        Path real = dir.resolve("real");
        SharedLock.builder("l").directory(real).create().close();
        Path link = dir.resolve("link");
        Files.createSymbolicLink(link, real);
        assertRefused(link, "a symbolic link", () -> SharedLock.builder("l").directory(link).open());
        assertRefused(link, "a symbolic link", () -> SharedLock.builder("m").directory(link).create());
        Files.createSymbolicLink(Directories.objectPath(real, "alias"), Directories.objectPath(real, "l"));
        assertRefused(Directories.objectPath(real, "alias"), "a symbolic link",
                () -> SharedLock.builder("alias").directory(real).open());
    }

    @Test
    void sharingWithAGroupIsAnExplicitOptIn() throws Exception {
        GroupPrincipal group;
        try {
            group = Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName("nogroup");
        } catch (java.io.IOException e) {
            group = null;
        }
        assumeTrue(group != null && isRoot(), "needs group 'nogroup' and root to give files to it");
        Path shared = dir.resolve("shared");
        System.setProperty(FileAccess.GROUP_PROPERTY, "nogroup");
        SharedLock.builder("l").directory(shared).create().close();
        PosixFileAttributes folder = Files.readAttributes(shared, PosixFileAttributes.class);
        PosixFileAttributes file = Files.readAttributes(Directories.objectPath(shared, "l"), PosixFileAttributes.class);
        assertEquals("rwxrwx---", PosixFilePermissions.toString(folder.permissions()));
        assertEquals("nogroup", folder.group().getName());
        assertEquals("rw-rw----", PosixFilePermissions.toString(file.permissions()));
        assertEquals("nogroup", file.group().getName());
        try (var nodes = Files.list(Directories.nodesDirectory(shared))) {
            for (Path n : (Iterable<Path>) nodes::iterator) {
                PosixFileAttributes a = Files.readAttributes(n, PosixFileAttributes.class);
                assertEquals("nogroup", a.group().getName(), n.toString());
                assertFalse(a.permissions().contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ));
            }
        }
        Files.setOwner(Directories.objectPath(shared, "l"), nobody());
        SharedLock.builder("l").directory(shared).open().close(); // another member's file, in the group
        System.clearProperty(FileAccess.GROUP_PROPERTY);
        assertRefused(shared, "its group may access it", () -> SharedLock.builder("l").directory(shared).open());
    }

    @Test
    void remoteFileSystemsAreRefused() {
        for (String remote : new String[] {"nfs", "nfs4", "cifs", "smb3", "9p", "virtiofs", "fuse.sshfs", "ceph"}) {
            assertTrue(FileAccess.isRemote(remote), remote);
        }
        for (String local : new String[] {"tmpfs", "ext4", "xfs", "btrfs", "overlay", "fuse.fuse-overlayfs"}) {
            assertFalse(FileAccess.isRemote(local), local);
        }
    }
}
