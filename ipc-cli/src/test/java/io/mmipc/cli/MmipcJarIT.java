package io.mmipc.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.mmipc.testing.ChildJvm;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The executable jar ({@code target/mmipc.jar}, as {@code scripts/mmipc} runs it) on JDK 17 and JDK 25,
 * against objects a child JVM holds, then after the child was SIGKILLed.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class MmipcJarIT {
    private Path dir;
    private ChildJvm holder;

    @BeforeEach
    void startHolder() throws Exception {
        dir = TestDirs.create("cli-jar");
        holder = ChildJvm.start(List.of("-Dmmipc.dir=" + dir), Holder.class);
        holder.expect("ready", Duration.ofSeconds(60));
    }

    @AfterEach
    void stop() throws Exception {
        if (holder != null) {
            holder.close();
        }
        TestDirs.delete(dir);
    }

    private static List<Path> javas() {
        List<Path> javas = new ArrayList<>();
        for (String property : new String[] {"mmipc.jdk17", "mmipc.jdk25"}) {
            String home = System.getProperty(property, "");
            Path java = Path.of(home, "bin", "java");
            if (!home.isEmpty() && Files.isExecutable(java)) {
                javas.add(java);
            }
        }
        if (javas.isEmpty()) {
            javas.add(Path.of(System.getProperty("java.home"), "bin", "java"));
        }
        return javas;
    }

    private Processes.Result mmipc(Path java, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(java.toString(), "-jar",
                System.getProperty("mmipc.cli.jar", "target/mmipc.jar")));
        command.addAll(List.of(args));
        return Processes.run(dir, command);
    }

    @Test
    void theJarListsLiveAndDeadHoldersOnEveryJdk() throws Exception {
        for (Path java : javas()) {
            Processes.Result list = mmipc(java, "list", "--dir", dir.toString(), "--json");
            assertEquals(ExitCodes.OK, list.code(), java + ": " + list);
            assertEquals("", list.err(), java + ": no warning on stderr");
            JsonObject doc = JsonParser.parseString(list.out()).getAsJsonObject();
            assertEquals(10, doc.getAsJsonArray("objects").size(), list.out());
            Processes.Result version = mmipc(java, "--version");
            assertTrue(version.out().startsWith("mmipc "), version.toString());
            assertEquals(ExitCodes.NOT_FOUND, mmipc(java, "inspect", "--dir", dir.toString(), "nosuch").code());
            assertEquals(ExitCodes.USAGE, mmipc(java, "list", "--bogus").code());
        }
        holder.kill();
        for (Path java : javas()) {
            Processes.Result list = mmipc(java, "list", "--dir", dir.toString(), "--json");
            assertEquals(ExitCodes.OK, list.code(), java + ": " + list);
            for (JsonElement e : JsonParser.parseString(list.out()).getAsJsonObject().getAsJsonArray("objects")) {
                assertEquals("abandoned", e.getAsJsonObject().get("status").getAsString(), e.toString());
            }
        }
        Processes.Result clean = mmipc(javas().get(0), "clean", "--dir", dir.toString());
        assertEquals(ExitCodes.OK, clean.code(), clean.toString());
        try (var left = Files.list(dir)) {
            assertEquals(List.of(dir.resolve(".nodes")), left.toList(), clean.toString());
        }
        try (var nodes = Files.list(dir.resolve(".nodes"))) {
            assertEquals(List.of(), nodes.toList(), "the dead holder's node file is removed: " + clean);
        }
    }
}
