package io.mmipc.internal.proc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * Unpredictable 64-bit ids (process tokens, ring and heap instance ids), read from the kernel's
 * {@code /dev/urandom} directly: the same source {@link SecureRandom}'s default provider reads on Linux, without
 * initialising the security-provider framework, which costs a fresh JVM 20–30 ms before its first shared
 * object (measured in a pool worker's start-up). Where {@code /dev/urandom} cannot be read, a
 * {@link SecureRandom} serves instead.
 */
public final class RandomIds {
    private static final Path URANDOM = Path.of("/dev/urandom");
    private static volatile SecureRandom fallback;

    private RandomIds() {
    }

    /** @return a random long from the kernel's entropy pool (any value, zero included) */
    public static long nextLong() {
        if (Files.isReadable(URANDOM)) {
            try (InputStream in = Files.newInputStream(URANDOM)) {
                byte[] b = in.readNBytes(Long.BYTES);
                if (b.length == Long.BYTES) {
                    return ByteBuffer.wrap(b).getLong();
                }
            } catch (IOException | RuntimeException e) {
                // fall through to SecureRandom
            }
        }
        SecureRandom r = fallback;
        if (r == null) {
            r = new SecureRandom();
            fallback = r;
        }
        return r.nextLong();
    }

    /** @return a random long that is never 0 (0 marks "none" in the layouts) */
    public static long nextNonZero() {
        long id;
        do {
            id = nextLong();
        } while (id == 0);
        return id;
    }
}
