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
 * object (measured in a pool worker's start-up). They are read 32 at a time and handed out once
 * each. Where {@code /dev/urandom} cannot be read, a {@link SecureRandom} serves instead.
 */
public final class RandomIds {
    private static final Path URANDOM = Path.of("/dev/urandom");
    /** Ids read from the kernel at once: a spill takes one per large message, and each read costs an open. */
    private static final int BATCH = 32;
    private static final long[] POOL = new long[BATCH];
    private static int left;
    private static volatile SecureRandom fallback;

    private RandomIds() {
    }

    /** @return a random long from the kernel's entropy pool (any value, zero included) */
    public static long nextLong() {
        synchronized (POOL) {
            if (left == 0) {
                left = refill();
            }
            if (left > 0) {
                return POOL[--left];
            }
        }
        SecureRandom r = fallback;
        if (r == null) {
            r = new SecureRandom();
            fallback = r;
        }
        return r.nextLong();
    }

    /** Fills {@link #POOL} from {@code /dev/urandom}; @return how many ids it holds (0 if it cannot be read) */
    private static int refill() {
        try (InputStream in = Files.newInputStream(URANDOM)) {
            byte[] b = in.readNBytes(BATCH * Long.BYTES);
            ByteBuffer buf = ByteBuffer.wrap(b);
            int n = b.length / Long.BYTES;
            for (int i = 0; i < n; i++) {
                POOL[i] = buf.getLong();
            }
            return n;
        } catch (IOException | RuntimeException e) {
            return 0; // SecureRandom serves instead
        }
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
