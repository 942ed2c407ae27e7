package io.mmipc.queue;

import io.mmipc.codec.Codecs;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14 item 4: slot positions wrap at 2^40. A ring starts just before the wrap with control words as old
 * as 2^39 positions of fixed-size traffic leave them; puts and gets must go on across the wrap, for many
 * laps, never spinning in the claim.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RingWrapAroundTest {
    private static final long WRAP = 1L << 40;
    private static final int SLOTS = 16;

    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("wrap");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestDirs.delete(dir);
    }

    private void pushAcrossTheWrap(String name, long staleBy) throws Exception {
        // 16 slots of 64 bytes; 150-byte messages span 3 slots, so records start at every index over the laps
        // and padding shifts them: every control word is claimed over in turn.
        try (SharedQueue<byte[]> q = SharedQueue.builder(name, Codecs.bytes()).directory(dir).capacity(1024)
                .slotSize(64).startPositions(WRAP - 5L * SLOTS - 7, staleBy).create()) {
            byte[] message = new byte[150];
            for (int i = 0; i < 2001; i++) {
                Arrays.fill(message, (byte) i);
                q.put(message, Duration.ofSeconds(10));
                if (i % 3 == 2) {
                    for (int k = 0; k < 3; k++) {
                        byte[] got = q.get(Duration.ofSeconds(10));
                        assertEquals(150, got.length);
                        assertEquals((byte) (i - 2 + k), got[0]);
                    }
                }
            }
            q.put(message);
            assertArrayEquals(message, q.get(Duration.ofSeconds(10)));
            assertTrue(q.empty());
            assertEquals(0, q.qsize());
        }
    }

    @Test
    void freshRingCrossesTheWrap() throws Exception {
        pushAcrossTheWrap("fresh", 0);
    }

    @Test
    void controlWordsStaleByHalfThePositionRangeStillFree() throws Exception {
        pushAcrossTheWrap("stale", 1L << 39);
    }

    @Test
    void controlWordsStaleByAlmostAWholeRangeStillFree() throws Exception {
        pushAcrossTheWrap("ancient", WRAP - 2L * SLOTS);
    }
}
