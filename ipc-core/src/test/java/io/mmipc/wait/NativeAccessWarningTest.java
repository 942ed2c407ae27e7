package io.mmipc.wait;

import io.mmipc.WaitMode;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.testing.ChildJvm;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * mmipc's promise: add the dependency and nothing else. A JVM started without
 * {@code --enable-native-access} must never see the JDK's restricted-method warning (nor any other output
 * on stderr), whatever it does with a queue, including asking for FUTEX mode and being refused.
 */
@Timeout(60)
class NativeAccessWarningTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("quiet");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestDirs.delete(dir);
    }

    private static String run(ChildJvm.Launcher launcher) throws Exception {
        try (ChildJvm child = launcher.captureStderr().start()) {
            assertEquals(0, child.waitFor(WAIT), "exit code; stderr=" + child.stderr());
            assertEquals("", child.stderr(), "the child wrote to stderr");
            return String.join("\n", child.output());
        }
    }

    @Test
    void queueInAJvmWithoutTheFlagPrintsNothingOnStderr() throws Exception {
        for (WaitMode mode : List.of(WaitMode.AUTO, WaitMode.DOORBELL, WaitMode.FUTEX)) {
            String out = run(ChildJvm.launcher(WaitChild.class).withoutNativeAccess()
                    .args("quiet", dir.resolve(mode.name()).toString(), mode.name()));
            if (mode == WaitMode.FUTEX) {
                assertTrue(out.startsWith("unavailable: ") && out.contains("--enable-native-access"), out);
            } else {
                assertEquals("ok futex=false", out);
            }
        }
    }

    @Test
    void futexInAJvmWithTheFlagPrintsNothingOnStderr() throws Exception {
        assumeTrue(MappedMemory.implementation().equals("MemorySegment"), "the JDK 22+ overlay is not loaded here");
        for (WaitMode mode : List.of(WaitMode.AUTO, WaitMode.FUTEX)) {
            String out = run(ChildJvm.launcher(WaitChild.class).withoutNativeAccess()
                    .jvmOptions(List.of("--enable-native-access=ALL-UNNAMED"))
                    .args("quiet", dir.resolve(mode.name()).toString(), mode.name()));
            assertEquals("ok futex=true", out);
        }
    }
}
