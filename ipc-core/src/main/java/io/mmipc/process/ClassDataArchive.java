package io.mmipc.process;

import io.mmipc.internal.file.Directories;
import io.mmipc.internal.file.FileAccess;
import io.mmipc.internal.log.Log;

import java.io.File;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * A dynamic class-data-sharing archive for child JVMs (HotSpot's AppCDS): the classes a child loads, parsed
 * and laid out once, then mapped by every later child that runs the same program on the same JDK and class
 * path. It cuts a pool worker's start-up by about a quarter (docs/process.md).
 *
 * <p>The first child of a kind records the archive as it exits ({@code -XX:ArchiveClassesAtExit}, to a
 * temporary name that this JVM renames once the child is gone, so no child ever maps a half-written archive);
 * one child at a time records (a marker file, created exclusively); later children map it
 * ({@code -XX:SharedArchiveFile}; a JVM that finds it unusable starts without it). JVM log output about the
 * archive is switched off so it never mixes into the child's output.
 *
 * <p>An archive is code: it lives in a folder that only this user may enter ({@value #FOLDER} in the default
 * objects folder, 0700 and owned by this user even when objects are shared with a group), and one that is not
 * this user's own regular file is never used. Archives are used only where HotSpot supports them: this JVM's
 * java executable, a class path of jar files only (their manifests' {@code Class-Path} included), no module
 * path, and no CDS or AOT option of the caller's.
 * Anything else, or any I/O problem, just starts the child without an archive.
 */
final class ClassDataArchive {
    /** The archives' folder, in the default objects folder. */
    static final String FOLDER = ".jvm-archives";
    /** A recording marker older than this belongs to a child that never finished: another may record. */
    private static final long STALE_MILLIS = 120_000;
    /** Archives kept; the least recently written beyond this are deleted. */
    private static final int KEEP = 8;
    private static final List<String> QUIET = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    private static final List<String> CALLER_CDS = List.of("-Xshare:off", "-Xshare:dump", "-XX:SharedArchiveFile",
            "-XX:ArchiveClassesAtExit", "-XX:+AutoCreateSharedArchive", "-XX:SharedClassListFile",
            "-XX:DumpLoadedClassList", "-XX:AOT");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OTHERS_WRITE = EnumSet.of(PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_WRITE);
    private static final AtomicInteger RECORDINGS = new AtomicInteger();
    private static final ClassDataArchive NONE = new ClassDataArchive(List.of(), null, null, null);
    /** Class paths already judged, with their jars (manifests are read once per class path and process). */
    private static final Map<String, List<Path>> JARS = new ConcurrentHashMap<>();

    private final List<String> options;
    private final Path archive;
    private final Path marker;
    private final Path recording;

    private ClassDataArchive(List<String> options, Path archive, Path marker, Path recording) {
        this.options = options;
        this.archive = archive;
        this.marker = marker;
        this.recording = recording;
    }

    /**
     * Plans the archive options of one child.
     *
     * @param program    what the child runs (a main class or the task's class): one archive per program
     * @param jvmOptions the child's JVM options, inherited and the caller's
     * @param paths      its {@code -cp} / {@code --module-path} arguments ({@link JavaCommand#paths(String)})
     * @return the plan; {@link #options()} is empty when the child starts without an archive
     */
    static ClassDataArchive plan(String program, List<String> jvmOptions, List<String> paths) {
        try {
            List<Path> jars = eligibleJars(jvmOptions, paths);
            if (jars == null) {
                return NONE;
            }
            Path dir = folder();
            // HotSpot reads "a:b" in -XX:SharedArchiveFile as a base and a top archive: no such folder.
            if (dir == null || dir.toString().indexOf(File.pathSeparatorChar) >= 0) {
                return NONE;
            }
            String key = key(program, jvmOptions, jars);
            Path archive = dir.resolve(key + ".jsa");
            if (Files.exists(archive, LinkOption.NOFOLLOW_LINKS)) {
                return isOwnFile(archive) ? use(archive) : NONE;
            }
            Path marker = dir.resolve(key + ".recording");
            if (!claim(marker)) {
                return NONE;
            }
            Path recording = dir.resolve(key + ".jsa." + ProcessHandle.current().pid() + "-"
                    + RECORDINGS.incrementAndGet() + ".tmp");
            List<String> options = new ArrayList<>(List.of("-XX:ArchiveClassesAtExit=" + recording));
            options.addAll(QUIET);
            return new ClassDataArchive(List.copyOf(options), archive, marker, recording);
        } catch (IOException | RuntimeException e) {
            Log.PROCESS.log(Level.DEBUG, () -> "no class-data archive for a child of " + program + ": " + e);
            return NONE;
        }
    }

    /** @return the plan of a child started without an archive */
    static ClassDataArchive none() {
        return NONE;
    }

    /** @return the JVM options that record or map the archive (empty for none) */
    List<String> options() {
        return options;
    }

    /** @return the archive this plan records or maps (null for none) */
    Path archive() {
        return archive;
    }

    /** @return whether the child records the archive (then {@link #finish()} must run once it has exited) */
    boolean records() {
        return recording != null;
    }

    /**
     * After a recording child exited: publishes what it wrote under the archive's name (an atomic rename, so a
     * child starting meanwhile maps the whole archive or none) and lets the next child record if it wrote
     * nothing (it was killed). Keeps the folder to {@value #KEEP} archives.
     */
    void finish() {
        if (recording == null) {
            return;
        }
        try {
            if (Files.exists(recording, LinkOption.NOFOLLOW_LINKS) && Files.size(recording) > 0 && isOwnFile(recording)) {
                Files.move(recording, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            prune(archive.getParent());
        } catch (IOException | RuntimeException e) {
            Log.PROCESS.log(Level.DEBUG, () -> "class-data archive not kept: " + archive + ": " + e);
        } finally {
            deleteQuietly(recording);
            deleteQuietly(marker);
        }
    }

    private static ClassDataArchive use(Path archive) {
        List<String> options = new ArrayList<>(List.of("-XX:SharedArchiveFile=" + archive));
        options.addAll(QUIET);
        return new ClassDataArchive(List.copyOf(options), archive, null, null);
    }

    /** @return the class path's jars if the child can use an archive, else null */
    private static List<Path> eligibleJars(List<String> jvmOptions, List<String> paths) {
        String vm = System.getProperty("java.vm.name", "");
        if (!vm.contains("HotSpot") && !vm.contains("OpenJDK")) {
            return null;
        }
        for (String option : jvmOptions) {
            for (String cds : CALLER_CDS) {
                if (option.startsWith(cds)) {
                    return null;
                }
            }
        }
        if (paths.contains("--module-path")) {
            return null;
        }
        int cp = paths.indexOf("-cp");
        if (cp < 0 || cp + 1 >= paths.size() || paths.get(cp + 1).isEmpty()) {
            return null;
        }
        String classPath = paths.get(cp + 1);
        List<Path> jars = JARS.get(classPath);
        if (jars == null) {
            jars = jarsOnly(classPath);
            JARS.put(classPath, jars);
        }
        return jars.isEmpty() ? null : jars;
    }

    /**
     * @return every jar of the class path, their manifests' {@code Class-Path} entries (a "pathing" jar's)
     *         included; empty if an entry is not a plain jar file: HotSpot refuses to archive with a non-empty
     *         folder anywhere on the path, and a recording child then exits with status 1
     */
    private static List<Path> jarsOnly(String classPath) {
        List<Path> jars = new ArrayList<>();
        Deque<Path> todo = new ArrayDeque<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            todo.add(Path.of(entry).toAbsolutePath().normalize());
        }
        Set<Path> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            Path jar = todo.poll();
            if (!seen.add(jar)) {
                continue;
            }
            if (!Files.exists(jar)) {
                continue; // a missing entry is skipped by the JVM, archive or not
            }
            if (!jar.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar") || !Files.isRegularFile(jar)) {
                return List.of();
            }
            jars.add(jar);
            try (JarFile file = new JarFile(jar.toFile(), false)) {
                Manifest manifest = file.getManifest();
                String refs = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
                if (refs != null) {
                    for (String ref : refs.trim().split("\\s+")) {
                        if (ref.indexOf(':') >= 0 || ref.indexOf('%') >= 0) {
                            return List.of(); // an absolute or escaped URL: not judged here, so no archive
                        }
                        if (!ref.isEmpty()) {
                            todo.add(jar.resolveSibling(ref).toAbsolutePath().normalize());
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                return List.of();
            }
        }
        return List.copyOf(jars);
    }

    /** @return the archives' folder, created 0700, or null if it is not this user's alone */
    private static Path folder() throws IOException {
        Path base = Directories.defaultDirectory();
        Directories.ensurePrivateDirectory(base);
        Path dir = base.resolve(FOLDER);
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException e) {
            // made before: checked below
        }
        PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        boolean ok = a.isDirectory() && !a.isSymbolicLink() && a.owner().equals(FileAccess.currentUser())
                && a.permissions().equals(OWNER_ONLY);
        if (!ok) {
            Log.PROCESS.log(Level.WARNING, () -> "class-data archives not used: " + dir + " is not a folder of this "
                    + "user's alone (owner=" + a.owner().getName() + ", mode="
                    + PosixFilePermissions.toString(a.permissions()) + ")");
            return null;
        }
        return dir;
    }

    /** @return whether {@code file} is a regular file of this user's that nobody else may write */
    private static boolean isOwnFile(Path file) throws IOException {
        PosixFileAttributes a = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return a.isRegularFile() && a.owner().equals(FileAccess.currentUser())
                && Collections.disjoint(a.permissions(), OTHERS_WRITE);
    }

    /** @return whether this process may record: it created the marker (replacing one left by a dead recorder) */
    private static boolean claim(Path marker) throws IOException {
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                Files.createFile(marker, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                return true;
            } catch (FileAlreadyExistsException e) {
                long age;
                try {
                    age = System.currentTimeMillis()
                            - Files.getLastModifiedTime(marker, LinkOption.NOFOLLOW_LINKS).toMillis();
                } catch (java.nio.file.NoSuchFileException gone) {
                    continue;
                }
                if (age < STALE_MILLIS) {
                    return false;
                }
                Files.deleteIfExists(marker);
            }
        }
        return false;
    }

    /**
     * @return a name for the archive of {@code program} run with these options and class path on this JDK
     *         (64-bit FNV-1a; the JVM itself refuses an archive whose jars changed, so the name only has to
     *         tell different set-ups apart, and it includes each jar's size and modification time, manifest
     *         references included, so a rebuilt jar gets a new archive instead of a refused one)
     */
    private static String key(String program, List<String> jvmOptions, List<Path> jars) throws IOException {
        StringBuilder s = new StringBuilder();
        s.append(System.getProperty("java.home")).append('\n').append(System.getProperty("java.vm.version"))
                .append('\n').append(program).append('\n');
        for (String option : jvmOptions) {
            if (!option.startsWith("-Xlog")) { // logging does not change what an archive holds
                s.append(option).append('\n');
            }
        }
        for (Path jar : jars) {
            s.append(jar).append(' ').append(Files.size(jar)).append(' ')
                    .append(Files.getLastModifiedTime(jar).toMillis()).append('\n');
        }
        long h = 0xcbf29ce484222325L;
        for (byte b : s.toString().getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        String name = program.substring(program.lastIndexOf('.') + 1);
        return Directories.safeName(name) + "-" + Long.toHexString(h);
    }

    /** Deletes the least recently written archives beyond {@value #KEEP}, and temporary ones left by dead recorders. */
    private static void prune(Path dir) throws IOException {
        List<Path> archives = new ArrayList<>();
        long now = System.currentTimeMillis();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String n = f.getFileName().toString();
                if (n.endsWith(".jsa")) {
                    archives.add(f);
                } else if (n.endsWith(".tmp") && now - Files.getLastModifiedTime(f).toMillis() > STALE_MILLIS) {
                    deleteQuietly(f);
                }
            }
        }
        if (archives.size() <= KEEP) {
            return;
        }
        archives.sort(Comparator.comparingLong(ClassDataArchive::modified));
        for (Path f : archives.subList(0, archives.size() - KEEP)) {
            deleteQuietly(f);
        }
    }

    private static long modified(Path f) {
        try {
            return Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static void deleteQuietly(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            // an unwritable leftover is harmless: the next recording uses a new name
        }
    }
}
