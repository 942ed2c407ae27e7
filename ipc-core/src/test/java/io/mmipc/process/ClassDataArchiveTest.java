package io.mmipc.process;

import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18 (start-up): child JVMs record a class-data-sharing archive once and map it afterwards, across real
 * child JVMs on a class path of jars; an archive is never taken from a folder or file someone else could have
 * written, and a child whose class path or options rule archives out starts without one.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ClassDataArchiveTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private Path dir;
    private String savedDir;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("cds");
        // The archives live in the default objects folder: this test's own, for itself and its children.
        savedDir = System.setProperty("mmipc.dir", dir.resolve("objects").toString());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (savedDir == null) {
            System.clearProperty("mmipc.dir");
        } else {
            System.setProperty("mmipc.dir", savedDir);
        }
        TestDirs.delete(dir);
    }

    private Path archives() {
        return dir.resolve("objects").resolve(ClassDataArchive.FOLDER);
    }

    @Test
    void theFirstChildRecordsTheArchiveAsItExitsAndTheNextOneMapsIt() throws Exception {
        List<Path> classPath = List.of(coreJar(), jarOf(ArchiveProbeMain.class));
        List<String> first = new CopyOnWriteArrayList<>();
        try (SharedProcess<Void> p = SharedProcess.builder(ArchiveProbeMain.class).classPath(classPath).classDataSharing(true)
                .stdout(first::add).stderr(first::add).start()) {
            p.join(WAIT);
            assertEquals(0, p.exitCode().getAsInt(), "output: " + first);
        }
        assertEquals(List.of("probe ran"), first, "the recording child's output carries no JVM log line");
        waitUntil(() -> count(".jsa") == 1 && count(".recording") == 0 && count(".tmp") == 0,
                "the archive is published under its name and the marker removed");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(archives())));

        List<String> second = new CopyOnWriteArrayList<>();
        try (SharedProcess<Void> p = SharedProcess.builder(ArchiveProbeMain.class).classPath(classPath).classDataSharing(true)
                .jvmOptions("-Xlog:class+load=info").stdout(second::add).stderr(second::add).start()) {
            p.join(WAIT);
            assertEquals(0, p.exitCode().getAsInt());
        }
        assertTrue(second.contains("probe ran"));
        assertTrue(second.stream().anyMatch(l -> l.contains(ArchiveProbeMain.class.getName() + " source: shared objects file")),
                "the second child maps the probe's class from the archive");
        assertEquals(1, count(".jsa"), "a child that maps the archive records nothing");
    }

    @Test
    void aRecordingChildThatIsKilledLeavesNoArchiveAndLetsTheNextOneRecord() throws Exception {
        List<Path> classPath = List.of(coreJar(), jarOf(ArchiveProbeMain.class));
        try (SharedProcess<Void> p = SharedProcess.builder(ArchiveProbeMain.class, "sleep").classPath(classPath).classDataSharing(true)
                .quiet().start()) {
            waitUntil(() -> count(".recording") == 1, "the child records");
            p.kill();
            p.join(WAIT);
        }
        waitUntil(() -> count(".recording") == 0, "the marker is removed once the recorder is gone");
        assertEquals(0, count(".jsa"));
        try (SharedProcess<Void> p = SharedProcess.builder(ArchiveProbeMain.class).classPath(classPath).classDataSharing(true).quiet().start()) {
            p.join(WAIT);
        }
        waitUntil(() -> count(".jsa") == 1, "the next child records it");
    }

    @Test
    void aProcessMapsNoArchiveUnlessAskedTo() throws Exception {
        List<Path> classPath = List.of(coreJar(), jarOf(ArchiveProbeMain.class));
        try (SharedProcess<Void> p = SharedProcess.builder(ArchiveProbeMain.class).classPath(classPath).quiet().start()) {
            p.join(WAIT);
            assertEquals(0, p.exitCode().getAsInt());
        }
        assertFalse(Files.exists(archives()), "a process records no archive by default (its exit status is its own)");
    }

    @Test
    void aFolderOnTheClassPathEvenInAJarsManifestAModulePathOrTheCallersOwnCdsOptionMeanNoArchive() throws Exception {
        Path jar = jarOf(ArchiveProbeMain.class);
        assertTrue(ClassDataArchive.plan("p", List.of(), List.of("-cp", dir.toString())).options().isEmpty());
        // A "pathing" jar whose manifest names a folder: HotSpot would fail the dump and the child's exit status.
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Files.write(classes.resolve("x.txt"), new byte[] {1});
        Manifest pathing = manifest();
        pathing.getMainAttributes().put(Attributes.Name.CLASS_PATH, "classes/ " + jar.getFileName());
        Path pathingJar = dir.resolve("pathing.jar");
        try (OutputStream file = Files.newOutputStream(pathingJar); JarOutputStream out = new JarOutputStream(file, pathing)) {
            out.putNextEntry(new JarEntry("empty.txt"));
            out.closeEntry();
        }
        assertTrue(ClassDataArchive.plan("p", List.of(), List.of("-cp", pathingJar.toString())).options().isEmpty());
        assertTrue(ClassDataArchive.plan("p", List.of(), List.of("--module-path", jar.toString(), "-cp", jar.toString()))
                .options().isEmpty());
        for (String own : List.of("-Xshare:off", "-XX:SharedArchiveFile=x.jsa", "-XX:AOTCache=x.aot",
                "-XX:ArchiveClassesAtExit=y.jsa")) {
            assertTrue(ClassDataArchive.plan("p", List.of(own), List.of("-cp", jar.toString())).options().isEmpty(), own);
        }
        String objects = System.getProperty("mmipc.dir");
        System.setProperty("mmipc.dir", dir.resolve("a:b").toString());
        try {
            assertTrue(ClassDataArchive.plan("p", List.of(), List.of("-cp", jar.toString())).options().isEmpty(),
                    "HotSpot would read a ':' in the archive's path as two archives");
        } finally {
            System.setProperty("mmipc.dir", objects);
        }
        ClassDataArchive recording = ClassDataArchive.plan("p", List.of(), List.of("-cp", jar.toString()));
        assertTrue(recording.records());
        assertTrue(ClassDataArchive.plan("p", List.of(), List.of("-cp", jar.toString())).options().isEmpty(),
                "one child at a time records");
        recording.finish();
        assertEquals(0, count(".recording"));
    }

    @Test
    void aRecordingMarkerLeftByADeadParentIsTakenOverOnceStaleNotBefore() throws Exception {
        List<String> cp = List.of("-cp", jarOf(ArchiveProbeMain.class).toString());
        ClassDataArchive first = ClassDataArchive.plan("p", List.of(), cp);
        assertTrue(first.records());
        // The parent that claimed it dies: nothing runs finish(), the marker stays.
        Path marker = first.archive().resolveSibling(
                first.archive().getFileName().toString().replace(".jsa", ".recording"));
        assertTrue(Files.exists(marker));
        assertTrue(ClassDataArchive.plan("p", List.of(), cp).options().isEmpty(), "a fresh marker: someone records");
        Files.setLastModifiedTime(marker, FileTime.fromMillis(System.currentTimeMillis() - 600_000));
        ClassDataArchive next = ClassDataArchive.plan("p", List.of(), cp);
        assertTrue(next.records(), "a marker minutes old belongs to a recorder that never finished");
        next.finish();
        assertFalse(Files.exists(marker));
    }

    @Test
    void anArchiveOrFolderSomeoneElseCouldHaveWrittenIsNeverMapped() throws Exception {
        Path jar = jarOf(ArchiveProbeMain.class);
        List<String> cp = List.of("-cp", jar.toString());
        ClassDataArchive plan = ClassDataArchive.plan("p", List.of(), cp);
        Path archive = plan.archive();
        assertNotNull(archive);
        plan.finish(); // recorded nothing: no archive, no marker

        // A writable-by-others file under the archive's name (as a planted one would be) is not mapped.
        Files.write(archive, new byte[] {1});
        Files.setPosixFilePermissions(archive, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertTrue(ClassDataArchive.plan("p", List.of(), cp).options().isEmpty());
        // A symbolic link under the archive's name is not followed.
        Files.delete(archive);
        Path elsewhere = Files.write(dir.resolve("elsewhere.jsa"), new byte[] {1});
        Files.createSymbolicLink(archive, elsewhere);
        assertTrue(ClassDataArchive.plan("p", List.of(), cp).options().isEmpty());
        // The user's own archive is mapped...
        Files.delete(archive);
        Files.write(archive, new byte[] {1});
        Files.setPosixFilePermissions(archive, PosixFilePermissions.fromString("r--r--r--"));
        assertEquals(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"),
                ClassDataArchive.plan("p", List.of(), cp).options());
        // ...but not from a folder others may enter.
        Files.setPosixFilePermissions(archives(), PosixFilePermissions.fromString("rwxr-xr-x"));
        assertTrue(ClassDataArchive.plan("p", List.of(), cp).options().isEmpty());
        Files.setPosixFilePermissions(archives(), PosixFilePermissions.fromString("rwx------"));
    }

    private long count(String suffix) {
        if (!Files.isDirectory(archives())) {
            return 0;
        }
        try (Stream<Path> files = Files.list(archives())) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).count();
        } catch (IOException e) {
            return -1;
        }
    }

    private static void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertFalse(System.nanoTime() > deadline, "timed out waiting: " + what);
            Thread.sleep(20);
        }
    }

    /** @return mmipc's classes as one jar (the jar itself when the tests run on it) */
    private Path coreJar() throws IOException {
        Path where = Path.of(URIs.of(ChildMain.class));
        return Files.isDirectory(where) ? jarTree(where, dir.resolve("core.jar")) : where;
    }

    /** @return a jar holding only {@code type}'s class file */
    private Path jarOf(Class<?> type) throws IOException {
        String entry = type.getName().replace('.', '/') + ".class";
        Path out = dir.resolve(type.getSimpleName() + ".jar");
        try (OutputStream file = Files.newOutputStream(out); JarOutputStream jar = new JarOutputStream(file, manifest())) {
            jar.putNextEntry(new JarEntry(entry));
            try (var in = type.getClassLoader().getResourceAsStream(entry)) {
                in.transferTo(jar);
            }
            jar.closeEntry();
        }
        return out;
    }

    private static Path jarTree(Path root, Path out) throws IOException {
        try (OutputStream file = Files.newOutputStream(out); JarOutputStream jar = new JarOutputStream(file, manifest());
             Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String name = root.relativize(f).toString().replace('\\', '/');
                if (name.equals("META-INF/MANIFEST.MF")) {
                    continue;
                }
                jar.putNextEntry(new JarEntry(name));
                Files.copy(f, jar);
                jar.closeEntry();
            }
        }
        return out;
    }

    private static Manifest manifest() {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(new Attributes.Name("Multi-Release"), "true");
        return m;
    }

    /** Where a class was loaded from. */
    private static final class URIs {
        static java.net.URI of(Class<?> type) {
            try {
                return type.getProtectionDomain().getCodeSource().getLocation().toURI();
            } catch (java.net.URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
