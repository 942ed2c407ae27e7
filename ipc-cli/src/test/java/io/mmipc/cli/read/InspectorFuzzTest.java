package io.mmipc.cli.read;

import io.mmipc.codec.Codecs;
import io.mmipc.internal.file.HeaderLayout;
import io.mmipc.pipe.SharedPipe;
import io.mmipc.queue.SharedJoinableQueue;
import io.mmipc.sync.SharedSemaphore;
import io.mmipc.testing.TestDirs;
import io.mmipc.value.SharedIntArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Damaged copies of real object files (random bytes flipped in the header, registry and body; truncated at
 * random lengths) are read without an unexpected exception: either the damage is harmless, or the report
 * names a problem. Seeded, so a failure repeats.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InspectorFuzzTest {
    private Path dir;

    @BeforeEach
    void makeObjects() throws Exception {
        dir = TestDirs.create("cli-fuzz");
        try (SharedJoinableQueue<String> q = SharedJoinableQueue.builder("q", Codecs.string()).directory(dir)
                .capacity(4096).create();
             SharedPipe<String> p = SharedPipe.builder("p", Codecs.string()).directory(dir).capacity(4096).create();
             SharedSemaphore s = SharedSemaphore.builder("s").directory(dir).value(2).create();
             SharedIntArray a = SharedIntArray.builder("a").directory(dir).length(8).create()) {
            q.put("one");
            q.put("two");
            q.get();
            p.first().send("hi");
            s.acquire();
            a.set(3, 7);
            for (String name : List.of("q", "p", "s", "a")) {
                Files.copy(dir.resolve(name + ".mmipc"), dir.resolve("orig-" + name));
            }
        }
    }

    @AfterEach
    void delete() throws Exception {
        TestDirs.delete(dir);
    }

    @Test
    void damagedFilesGiveProblemsNotExceptions() throws Exception {
        Random random = new Random(21);
        for (String name : List.of("q", "p", "s", "a")) {
            byte[] original = Files.readAllBytes(dir.resolve("orig-" + name));
            ObjectReport clean = Inspector.inspect(dir.resolve("orig-" + name));
            assertTrue(clean.problems().isEmpty(), name + ": " + clean.problems());
            for (int round = 0; round < 150; round++) {
                byte[] damaged;
                if (round % 5 == 0) {
                    damaged = Arrays.copyOf(original, random.nextInt(original.length));
                } else {
                    damaged = original.clone();
                    int limit = Math.min(original.length, HeaderLayout.BODY_OFFSET + 2048);
                    for (int k = 1 + random.nextInt(8); k > 0; k--) {
                        damaged[random.nextInt(limit)] ^= (byte) (1 + random.nextInt(255));
                    }
                }
                Path f = dir.resolve("damaged.mmipc");
                Files.write(f, damaged);
                ObjectReport r = Inspector.inspect(f);
                for (String problem : r.problems()) {
                    assertFalse(problem.startsWith("cannot read:"), name + " round " + round + ": " + problem);
                }
                if (damaged.length != original.length) {
                    assertEquals(ObjectReport.Status.CORRUPT, r.status(), name + " truncated: " + r.problems());
                }
                r.full();
                r.summary();
            }
        }
    }
}
