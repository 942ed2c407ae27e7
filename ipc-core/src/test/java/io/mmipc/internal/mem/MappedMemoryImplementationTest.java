package io.mmipc.internal.mem;

import io.mmipc.internal.wait.Futex;
import io.mmipc.testing.ChildJvm;
import io.mmipc.wait.WaitChild;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proves which implementation the tests exercise: the JDK 17 classes ({@code MappedByteBuffer}) from
 * {@code target/classes} (Surefire) or on JDK 17, and the JDK 22+ overlay ({@code MemorySegment}) from the
 * multi-release jar on JDK 22+ (Failsafe). The build states what it expects in
 * {@code mmipc.test.expectedImplementation}; without it the expectation follows from where the class was
 * loaded and the running JDK.
 */
@Timeout(60)
class MappedMemoryImplementationTest {
    private static boolean loadedFromJar() {
        return MappedMemory.class.getProtectionDomain().getCodeSource().getLocation().getPath().endsWith(".jar");
    }

    private static String expected() {
        String stated = System.getProperty("mmipc.test.expectedImplementation", "");
        if (!stated.isEmpty()) {
            return stated;
        }
        return loadedFromJar() && Runtime.version().feature() >= 22 ? "MemorySegment" : "MappedByteBuffer";
    }

    @Test
    void theExpectedImplementationIsLoaded() {
        String where = MappedMemory.class.getProtectionDomain().getCodeSource().getLocation() + " on JDK "
                + Runtime.version();
        assertEquals(expected(), MappedMemory.implementation(), "loaded from " + where);
        if (MappedMemory.implementation().equals("MappedByteBuffer")) {
            assertFalse(Futex.available(), "futex without the overlay");
        }
    }

    @Test
    void futexIsAvailableExactlyWhenTheOverlayRunsWithNativeAccess() {
        boolean flag = !ChildJvm.inheritedNativeAccess().isEmpty();
        boolean linuxX86OrArm = System.getProperty("os.name").startsWith("Linux")
                && System.getProperty("os.arch").matches("amd64|x86_64|aarch64");
        boolean overlay = MappedMemory.implementation().equals("MemorySegment");
        assertEquals(overlay && flag && linuxX86OrArm, Futex.available(), Futex.unavailableReason());
        if (Boolean.getBoolean("mmipc.test.nativeAccessRun")) {
            assertTrue(flag, "the native-access run lacks --enable-native-access");
        }
    }

    @Test
    void childJvmsLoadTheSameImplementation() throws Exception {
        try (ChildJvm child = ChildJvm.start(WaitChild.class, "impl")) {
            assertEquals(MappedMemory.implementation() + " futex=" + Futex.available(),
                    child.readLine(Duration.ofSeconds(30)));
            assertEquals(0, child.waitFor(Duration.ofSeconds(30)));
        }
    }
}
