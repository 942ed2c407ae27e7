package io.mmipc.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.mmipc.sync.LockOutcome;
import io.mmipc.sync.SharedLock;
import io.mmipc.testing.ChildJvm;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The command run in-process (picocli's {@code execute}) against objects a child JVM holds open: alive,
 * then SIGKILLed; plus corrupt files, clean, rm and watch.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MmipcCommandTest {
    private static final Duration READY = Duration.ofSeconds(60);
    private Path dir;
    private ChildJvm holder;

    /** Output and exit code of one run. */
    record Run(int code, String out, String err) {
        JsonObject json() {
            return JsonParser.parseString(out).getAsJsonObject();
        }
    }

    @BeforeEach
    void startHolder() throws Exception {
        dir = TestDirs.create("cli");
        holder = ChildJvm.start(List.of("-Dmmipc.dir=" + dir), Holder.class);
        holder.expect("ready", READY);
    }

    @AfterEach
    void stop() throws Exception {
        if (holder != null) {
            holder.close();
        }
        TestDirs.delete(dir);
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Mmipc.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private Map<String, JsonObject> listJson() {
        Run r = run("list", "--dir", dir.toString(), "--json");
        assertEquals(ExitCodes.OK, r.code(), r.err() + r.out());
        Map<String, JsonObject> byName = new HashMap<>();
        for (JsonElement e : r.json().getAsJsonArray("objects")) {
            byName.put(e.getAsJsonObject().get("name").getAsString(), e.getAsJsonObject());
        }
        return byName;
    }

    private long holderPid() {
        return holder.pid();
    }

    @Test
    void listShowsEveryObjectAndItsStateWhileTheHolderLives() {
        Map<String, JsonObject> objects = listJson();
        assertEquals(10, objects.size(), objects.keySet().toString());
        for (JsonObject o : objects.values()) {
            assertEquals("ok", o.get("status").getAsString(), o.toString());
            assertEquals(1, o.getAsJsonObject("processes").get("alive").getAsInt(), o.toString());
            assertEquals(0, o.getAsJsonObject("processes").get("dead").getAsInt(), o.toString());
        }
        JsonObject jobs = objects.get("jobs").getAsJsonObject("details");
        assertEquals("joinable queue", objects.get("jobs").get("type").getAsString());
        assertEquals(2, jobs.get("depth").getAsLong());
        assertEquals(3, jobs.get("unfinished").getAsLong());
        assertEquals(0, jobs.get("lost").getAsLong());
        assertEquals("open", jobs.get("shutdown").getAsString());
        assertEquals("pid " + holderPid() + " (alive)",
                objects.get("guard").getAsJsonObject("details").get("owner").getAsString());
        assertEquals(2, objects.get("slots").getAsJsonObject("details").get("permits").getAsLong());
        assertEquals(3, objects.get("meet").getAsJsonObject("details").get("parties").getAsLong());
        assertEquals("set", objects.get("go").getAsJsonObject("details").get("state").getAsString());
        assertEquals(42, objects.get("counter").getAsJsonObject("details").get("value").getAsLong());
        JsonObject chat = objects.get("chat").getAsJsonObject("details");
        assertEquals("open", chat.get("end0").getAsString());
        assertEquals(1, chat.get("depth1").getAsLong(), chat.toString());

        Run text = run("list", "--dir", dir.toString());
        assertEquals(ExitCodes.OK, text.code());
        assertTrue(text.out().startsWith("NAME"), text.out());
        assertTrue(text.out().contains("joinable queue"), text.out());
    }

    @Test
    void inspectShowsLayoutRegistryAndWaitersWithoutAttaching() throws Exception {
        JsonObject jobs = inspect("jobs");
        assertTrue(jobs.getAsJsonObject("header").get("magic").getAsString().contains("MMIPC-v2"));
        JsonObject ring = jobs.getAsJsonObject("layout").getAsJsonObject("ring");
        assertEquals(3, ring.getAsJsonObject("tail").get("claimed").getAsLong());
        assertEquals(1, ring.getAsJsonObject("head").get("taken").getAsLong());
        JsonObject records = ring.getAsJsonObject("records");
        assertEquals(2, records.get("published").getAsLong(), records.toString());
        assertEquals(0, records.get("claimsByDeadProducers").getAsLong(), records.toString());
        JsonObject big = inspect("big").getAsJsonObject("layout").getAsJsonObject("ring").getAsJsonObject("records");
        assertEquals(1, big.get("spilled").getAsLong(), big.toString());
        JsonObject spillFiles = inspect("big").getAsJsonObject("layout").getAsJsonObject("spillFiles");
        assertEquals(1, spillFiles.get("count").getAsLong(), spillFiles.toString());
        assertTrue(spillFiles.get("bytes").getAsLong() >= 20_000, spillFiles.toString());
        JsonArray registry = jobs.getAsJsonArray("registry");
        assertEquals(1, registry.size(), "only the holder is registered, never the command: " + registry);
        assertEquals(holderPid(), registry.get(0).getAsJsonObject().get("pid").getAsLong());

        // The holder's thread blocked in idle.get() sleeps in the waiter table, on the not-empty event.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        JsonArray waiters;
        do {
            waiters = inspect("idle").getAsJsonArray("waiters");
            if (waiters.size() > 0) {
                break;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        assertEquals(1, waiters.size(), "the blocked get is in the waiter table");
        JsonObject w = waiters.get(0).getAsJsonObject();
        assertEquals(holderPid(), w.get("pid").getAsLong());
        assertEquals("not empty", w.get("event").getAsString());

        Run text = run("inspect", "--dir", dir.toString(), "guard");
        assertEquals(ExitCodes.OK, text.code(), text.err());
        assertTrue(text.out().contains("takeovers: 0"), text.out());
        assertEquals(ExitCodes.NOT_FOUND, run("inspect", "--dir", dir.toString(), "nosuch").code());
    }

    @Test
    void headerCountersShowASpilledMessageAndATakeoverFromTheKilledHolder() throws Exception {
        JsonObject big = inspect("big").getAsJsonObject("header").getAsJsonObject("counters");
        assertEquals(1, big.get("sideFileMessages").getAsLong(), "the 20 kB message went to a side file: " + big);
        JsonObject guard = inspect("guard").getAsJsonObject("header").getAsJsonObject("counters");
        assertEquals(0, guard.get("takeovers").getAsLong(), guard.toString());

        holder.kill(); // it held the lock 'guard'
        try (SharedLock lock = SharedLock.builder("guard").directory(dir).open()) {
            assertEquals(LockOutcome.ACQUIRED_OWNER_DIED, lock.acquire(Duration.ofSeconds(10)));
            lock.unlock();
        }
        guard = inspect("guard").getAsJsonObject("header").getAsJsonObject("counters");
        assertEquals(1, guard.get("takeovers").getAsLong(), guard.toString());
        assertEquals(1, guard.get("reclaims").getAsLong(), "opening reclaimed the dead holder's entry: " + guard);
        Run text = run("inspect", "--dir", dir.toString(), "big");
        assertTrue(text.out().contains("sideFileMessages: 1"), text.out());
    }

    @Test
    void readingChangesNotOneByteOfQuietObjects() throws Exception {
        List<String> quiet = List.of("jobs", "guard", "slots", "meet", "go", "counter", "chat", "big");
        Map<String, byte[]> before = new HashMap<>();
        for (String name : quiet) {
            before.put(name, Files.readAllBytes(dir.resolve(name + ".mmipc")));
        }
        assertEquals(ExitCodes.OK, run("list", "--dir", dir.toString()).code());
        for (String name : quiet) {
            assertEquals(ExitCodes.OK, run("inspect", "--dir", dir.toString(), name).code());
            assertEquals(ExitCodes.OK, run("watch", "--dir", dir.toString(), "--count", "2", "--interval", "0.05",
                    name).code());
        }
        assertEquals(ExitCodes.OK, run("clean", "--dir", dir.toString(), "--dry-run").code());
        for (String name : quiet) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(before.get(name),
                    Files.readAllBytes(dir.resolve(name + ".mmipc")), name + " changed while being read");
        }
    }

    private JsonObject inspect(String name) {
        Run r = run("inspect", "--dir", dir.toString(), "--json", name);
        assertEquals(ExitCodes.OK, r.code(), r.err() + r.out());
        return r.json();
    }

    @Test
    void deadHolderIsShownAndCleanRemovesWhatItLeft() throws Exception {
        Path tmpLeft = dir.resolve(".ghost.mmipc.tmp-" + deadPid() + "-1f");
        Files.write(tmpLeft, new byte[64]);
        Path orphanSpill = dir.resolve("gone.mmipc.spill-7");
        Files.write(orphanSpill, new byte[16]);

        holder.kill();
        Map<String, JsonObject> objects = listJson();
        for (JsonObject o : objects.values()) {
            assertEquals("abandoned", o.get("status").getAsString(), o.toString());
            assertEquals(0, o.getAsJsonObject("processes").get("alive").getAsInt());
            assertEquals(1, o.getAsJsonObject("processes").get("dead").getAsInt());
        }
        assertTrue(objects.get("guard").getAsJsonObject("details").get("owner").getAsString().endsWith("(dead)"));

        Run dry = run("clean", "--dir", dir.toString(), "--dry-run", "--json");
        assertEquals(ExitCodes.OK, dry.code(), dry.err());
        assertTrue(dry.json().get("dryRun").getAsBoolean());
        assertEquals(10 + 1 + 2, dry.json().getAsJsonArray("removed").size(), "objects, big's spill file, "
                + "the orphan spill file and the temporary file: " + dry.out());
        assertTrue(Files.exists(dir.resolve("jobs.mmipc")), "a dry run removes nothing");
        assertTrue(Files.exists(tmpLeft));
        assertTrue(Files.exists(orphanSpill));

        Run clean = run("clean", "--dir", dir.toString());
        assertEquals(ExitCodes.OK, clean.code(), clean.err());
        assertTrue(clean.out().contains("removed object"), clean.out());
        try (var left = Files.list(dir)) {
            assertEquals(List.of(dir.resolve(".nodes")), left.toList(), "clean left files behind");
        }
        try (var nodes = Files.list(dir.resolve(".nodes"))) {
            assertEquals(List.of(), nodes.toList(), "the dead holder's node file is removed too");
        }
        assertEquals(0, listJson().size());
    }

    /** @return a PID that no running process has (a child that already exited) */
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor(30, TimeUnit.SECONDS);
        return p.pid();
    }

    @Test
    void corruptAndTruncatedFilesAreReportedAndLeftAlone() throws IOException {
        Files.write(dir.resolve("garbage.mmipc"), "not an mmipc object at all".getBytes());
        byte[] queue = Files.readAllBytes(dir.resolve("jobs.mmipc"));
        Files.write(dir.resolve("truncated.mmipc"), java.util.Arrays.copyOf(queue, 2048));
        byte[] foreign = java.util.Arrays.copyOf(queue, queue.length);
        foreign[0] ^= 0x55;
        Files.write(dir.resolve("foreign.mmipc"), foreign);
        Files.createDirectory(dir.resolve("folder.mmipc"));

        Run list = run("list", "--dir", dir.toString(), "--json");
        assertEquals(ExitCodes.PROBLEMS, list.code(), list.err());
        Map<String, String> problems = new HashMap<>();
        for (JsonElement e : list.json().getAsJsonArray("objects")) {
            JsonObject o = e.getAsJsonObject();
            if (o.has("problems")) {
                assertEquals("corrupt", o.get("status").getAsString());
                problems.put(o.get("name").getAsString(), o.getAsJsonArray("problems").toString());
            }
        }
        assertEquals(4, problems.size(), problems.toString());
        assertTrue(problems.containsKey("folder"), problems.toString());
        assertTrue(problems.get("garbage").contains("too short"), problems.toString());
        assertTrue(problems.get("truncated").contains("does not match its header"), problems.toString());
        assertTrue(problems.get("foreign").contains("bad magic"), problems.toString());

        Run inspect = run("inspect", "--dir", dir.toString(), "truncated");
        assertEquals(ExitCodes.PROBLEMS, inspect.code());
        assertTrue(inspect.out().contains("problems"), inspect.out());

        Run clean = run("clean", "--dir", dir.toString(), "--json");
        assertEquals(ExitCodes.PROBLEMS, clean.code());
        assertEquals(4, clean.json().getAsJsonArray("kept").size(), clean.out());
        assertTrue(Files.exists(dir.resolve("garbage.mmipc")), "unreadable files are not removed");
        assertTrue(Files.exists(dir.resolve("jobs.mmipc")), "objects in use are not removed");
    }

    @Test
    void rmRefusesAnObjectInUseUnlessForced() {
        Run refused = run("rm", "--dir", dir.toString(), "jobs");
        assertEquals(ExitCodes.IN_USE, refused.code());
        assertTrue(refused.err().contains("in use"), refused.err());
        assertTrue(Files.exists(dir.resolve("jobs.mmipc")));

        Run forced = run("rm", "--dir", dir.toString(), "--force", "--json", "jobs", "guard");
        assertEquals(ExitCodes.OK, forced.code(), forced.err());
        assertEquals(2, forced.json().getAsJsonArray("removed").size());
        assertFalse(Files.exists(dir.resolve("jobs.mmipc")));
        assertFalse(Files.exists(dir.resolve("guard.mmipc")));

        assertEquals(ExitCodes.NOT_FOUND, run("rm", "--dir", dir.toString(), "jobs").code());
        assertEquals(ExitCodes.USAGE, run("rm", "--dir", dir.toString(), "bad name!").code());
    }

    @Test
    void watchPrintsStateAndRatesForCountRefreshes() {
        Run r = run("watch", "--dir", dir.toString(), "--json", "--count", "3", "--interval", "0.2", "stream");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(3, lines.length, r.out());
        JsonObject last = JsonParser.parseString(lines[2]).getAsJsonObject();
        assertEquals("stream", last.get("name").getAsString());
        assertTrue(last.getAsJsonObject("ratesPerSecond").has("put"), last.toString());
        assertTrue(last.getAsJsonObject("ratesPerSecond").get("put").getAsDouble() >= 0);
        assertTrue(last.getAsJsonObject("ratesPerSecond").has("wakeups"), "header counters have rates too: " + last);

        Run text = run("watch", "--dir", dir.toString(), "--count", "1", "jobs");
        assertEquals(ExitCodes.OK, text.code(), text.err());
        assertTrue(text.out().contains("depth=2"), text.out());
    }

    @Test
    void helpVersionAndCompletionComeFromPicocli() {
        Run help = run("--help");
        assertEquals(ExitCodes.OK, help.code());
        assertTrue(help.out().contains("Exit codes"), help.out());
        Run completion = run("generate-completion");
        assertEquals(ExitCodes.OK, completion.code());
        assertTrue(completion.out().contains("complete -F"), completion.out());
        assertEquals(ExitCodes.USAGE, run("list", "--no-such-option").code());
        if (holder == null) {
            fail("holder not started");
        }
    }
}
