package io.mmipc.collection;

import io.mmipc.codec.Codecs;
import io.mmipc.testing.ChildJvm;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link SharedList} across real processes: concurrent appends, writers killed mid-update. */
@Timeout(600)
class SharedListCrossProcessTest {
    private static final Duration EXIT = Duration.ofSeconds(180);
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("list-xp");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestDirs.delete(dir);
    }

    private SharedList<String> createList() throws Exception {
        return SharedList.builder("list", Codecs.string()).directory(dir).initialBytes(0).create();
    }

    @Test
    void appendsFromSeveralProcessesAreAllKeptInEachWritersOrder() throws Exception {
        int writers = 4;
        int n = 1000;
        try (SharedList<String> list = createList()) {
            List<ChildJvm> children = new ArrayList<>();
            try {
                for (int id = 0; id < writers; id++) {
                    children.add(ChildJvm.start(CollectionChild.class, dir.toString(), "append", String.valueOf(id),
                            String.valueOf(n)));
                }
                for (ChildJvm child : children) {
                    assertEquals(0, child.waitFor(EXIT), "child output: " + child.output());
                }
            } finally {
                children.forEach(ChildJvm::close);
            }
            assertEquals(writers * n, list.size());
            int[] next = new int[writers];
            Set<String> seen = new HashSet<>();
            for (String s : list) {
                assertTrue(seen.add(s), "appended once: " + s);
                int id = Integer.parseInt(s.substring(1, s.indexOf('-')));
                assertEquals("c" + id + "-" + next[id]++, s, "each writer's appends in its order");
            }
            for (int id = 0; id < writers; id++) {
                assertEquals(n, next[id]);
            }
        }
    }

    @Test
    void updatesOfOneElementFromSeveralProcessesAreAtomic() throws Exception {
        int writers = 3;
        int n = 300;
        try (SharedList<String> list = createList()) {
            list.add("0");
            List<ChildJvm> children = new ArrayList<>();
            try {
                for (int id = 0; id < writers; id++) {
                    children.add(ChildJvm.start(CollectionChild.class, dir.toString(), "increment", String.valueOf(n)));
                }
                for (ChildJvm child : children) {
                    assertEquals(0, child.waitFor(EXIT), "child output: " + child.output());
                }
            } finally {
                children.forEach(ChildJvm::close);
            }
            assertEquals(String.valueOf(writers * n), list.get(0));
        }
    }

    @Test
    void appenderKilledAtRandomMomentsNeverLosesAnAcknowledgedAppend() throws Exception {
        Random random = new Random(7);
        try (SharedList<String> list = createList()) {
            list.add("head");
            int expectedNext = 0;
            for (int round = 0; round < 3; round++) {
                long lastAcked;
                try (ChildJvm child = ChildJvm.start(CollectionChild.class, dir.toString(), "appendForever")) {
                    child.expect("ready", EXIT);
                    Thread.sleep(100 + random.nextInt(300));
                    child.kill();
                    lastAcked = CollectionChild.Acks.last(dir);
                }
                list.add("after" + round);   // a write: repairs if the child died holding the lock
                List<String> now = new ArrayList<>(list);
                int i = now.indexOf("after" + round);
                int appended = i - 1 - expectedNext;   // this round's "x<n>" elements before our marker
                assertTrue(appended == lastAcked + 1 || appended == lastAcked + 2,
                        "round " + round + ": appended=" + appended + ", last acknowledged=" + lastAcked);
                for (int k = 0; k < appended; k++) {
                    assertEquals("x" + k, now.get(1 + expectedNext + k), "appends kept in order");
                }
                assertTrue(now.get(0).matches("head\\+*"), now.get(0));
                expectedNext += appended + 1;
            }
        }
    }

    @Test
    void writerKilledAtEachStepOfAnUpdateLeavesTheListConsistentAndUsable() throws Exception {
        // point, operation, and the list afterwards: the update happened or it did not
        Object[][] rounds = {
            {"list.element-written", new String[] {"listop", "append", "x"}, List.of("a", "b")},
            {"list.appended", new String[] {"listop", "append", "x"}, List.of("a", "b", "x")},
            {"list.set", new String[] {"listop", "set", "0", "z"}, List.of("z", "b")},
            {"list.array-built", new String[] {"listop", "insert", "0", "y"}, List.of("a", "b")},
            {"list.array-published", new String[] {"listop", "insert", "0", "y"}, List.of("y", "a", "b")},
            {"list.array-published", new String[] {"listop", "remove", "0"}, List.of("b")},
        };
        for (Object[] round : rounds) {
            String point = (String) round[0];
            try (SharedList<String> list = createList()) {
                list.add("a");
                list.add("b");
                List<String> all = new ArrayList<>(List.of(dir.toString()));
                all.addAll(List.of((String[]) round[1]));
                try (ChildJvm child = ChildJvm.launcher(CollectionChild.class)
                        .jvmOptions(List.of("-Dmmipc.test.crashPoint=" + point)).args(all.toArray(new String[0]))
                        .start()) {
                    child.expect("crash-point " + point, EXIT);
                    child.kill();
                }
                assertEquals(round[2], new ArrayList<>(list), point + ": the update happened or it did not");
                list.add("after");   // takes the lock over from the dead writer and repairs
                assertEquals(1, list.repairs(), point + ": one repair");
                List<String> expected = new ArrayList<>((List<?>) round[2]).stream().map(String::valueOf)
                        .collect(java.util.stream.Collectors.toCollection(ArrayList::new));
                expected.add("after");
                assertEquals(expected, new ArrayList<>(list));
                for (int i = 0; i < 100; i++) {
                    list.add("more" + i);
                    list.update(0, s -> s + "!");
                }
                assertEquals(expected.size() + 100, list.size());
                assertTrue(list.get(0).endsWith("!".repeat(100)));
                list.unlink();
            }
        }
    }
}
