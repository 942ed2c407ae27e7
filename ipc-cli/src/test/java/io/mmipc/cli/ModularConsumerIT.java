package io.mmipc.cli;

import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ipc-core's jar used as a JPMS module: a tiny module that {@code requires io.mmipc} is compiled and run on
 * the module path with JDK 17 and with JDK 25 (where the jar's {@code META-INF/versions/22} classes are
 * used). A queue works, no warning is printed, and {@code io.mmipc.internal.*} is out of reach both at
 * compile time and through reflection.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ModularConsumerIT {
    private static final String MAIN = String.join("\n",
            "package demo;",
            "import io.mmipc.codec.Codecs;",
            "import io.mmipc.queue.SharedQueue;",
            "import java.nio.file.Path;",
            "public final class Main {",
            "    public static void main(String[] args) throws Exception {",
            "        try (SharedQueue<String> q = SharedQueue.builder(\"modular\", Codecs.string())",
            "                .directory(Path.of(args[0])).create()) {",
            "            q.put(\"hello from \" + Main.class.getModule().getName());",
            "            System.out.println(\"got=\" + q.get());",
            "            q.unlink();",
            "        }",
            "        System.out.println(\"core=\" + SharedQueue.class.getModule().getName());",
            "        try {",
            "            Class.forName(\"io.mmipc.internal.file.Directories\").getMethod(\"defaultDirectory\").invoke(null);",
            "            System.out.println(\"internal=accessible\");",
            "        } catch (IllegalAccessException e) {",
            "            System.out.println(\"internal=inaccessible\");",
            "        }",
            "    }",
            "}",
            "");
    private static final String BAD = String.join("\n",
            "package bad;",
            "public final class Bad {",
            "    static final long MAGIC = io.mmipc.internal.file.HeaderLayout.MAGIC;",
            "}",
            "");

    @Test
    void aModuleRequiringIoMmipcWorksOnJdk17() throws Exception {
        check("mmipc.jdk17");
    }

    @Test
    void aModuleRequiringIoMmipcWorksOnJdk25() throws Exception {
        check("mmipc.jdk25");
    }

    @Test
    void everyPublicPackageIsExportedAndNoInternalOne() {
        Path core = coreJar();
        java.lang.module.ModuleDescriptor module = java.lang.module.ModuleFinder.of(core).findAll().iterator().next()
                .descriptor();
        assertEquals("io.mmipc", module.name());
        java.util.Set<String> exported = new java.util.TreeSet<>();
        module.exports().forEach(e -> {
            assertTrue(e.targets().isEmpty(), "no qualified export expected: " + e);
            exported.add(e.source());
        });
        java.util.Set<String> expected = new java.util.TreeSet<>();
        module.packages().stream().filter(p -> !p.startsWith("io.mmipc.internal")).forEach(expected::add);
        assertEquals(expected, exported, "module-info.java must export exactly the packages outside io.mmipc.internal");
    }

    private static Path coreJar() {
        Path core = Path.of(System.getProperty("mmipc.core.jar", "../ipc-core/target/ipc-core.jar")).toAbsolutePath();
        assertTrue(Files.isRegularFile(core), "ipc-core jar not built: " + core);
        return core;
    }

    private static void check(String jdkProperty) throws Exception {
        Path home = Path.of(System.getProperty(jdkProperty, ""));
        Assumptions.assumeTrue(Files.isExecutable(home.resolve("bin/javac")), jdkProperty + " not installed: " + home);
        Path core = coreJar();
        Path work = TestDirs.create("modular");
        try {
            Path src = write(work.resolve("src/demo"), "module demo { requires io.mmipc; }", "demo/Main.java", MAIN);
            Processes.Result javac = Processes.run(work, List.of(home.resolve("bin/javac").toString(),
                    "--module-path", core.toString(), "-d", "out/demo", "-Xlint:all", "-Werror",
                    src.resolve("module-info.java").toString(), src.resolve("demo/Main.java").toString()));
            assertEquals(0, javac.code(), javac.toString());

            // mmipc refuses a folder others may enter (docs/identity.md): the test's folder is owner-only like the default one.
            Path objects = Files.createDirectories(work.resolve("objects"), java.nio.file.attribute.PosixFilePermissions
                    .asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            Processes.Result run = Processes.run(work, List.of(home.resolve("bin/java").toString(),
                    "--module-path", core + java.io.File.pathSeparator + "out/demo", "-m", "demo/demo.Main",
                    objects.toString()));
            assertEquals(0, run.code(), run.toString());
            assertTrue(run.out().contains("got=hello from demo"), run.toString());
            assertTrue(run.out().contains("core=io.mmipc"), run.toString());
            assertTrue(run.out().contains("internal=inaccessible"), run.toString());
            assertEquals("", run.err(), "no warning printed: " + run);

            Path badSrc = write(work.resolve("src/bad"), "module bad { requires io.mmipc; }", "bad/Bad.java", BAD);
            Processes.Result bad = Processes.run(work, List.of(home.resolve("bin/javac").toString(),
                    "--module-path", core.toString(), "-d", "out/bad",
                    badSrc.resolve("module-info.java").toString(), badSrc.resolve("bad/Bad.java").toString()));
            assertNotEquals(0, bad.code(), "io.mmipc.internal must not compile from another module: " + bad);
            assertTrue(bad.err().contains("io.mmipc.internal.file") && bad.err().contains("not visible"), bad.toString());
        } finally {
            TestDirs.delete(work);
        }
    }

    private static Path write(Path root, String moduleInfo, String file, String source) throws Exception {
        Files.createDirectories(root.resolve(file).getParent());
        Files.writeString(root.resolve("module-info.java"), moduleInfo + "\n");
        Files.writeString(root.resolve(file), source);
        return root;
    }
}
