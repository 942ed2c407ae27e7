package io.mmipc.internal.proc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Ids read in batches from the kernel are each handed out once. */
@Timeout(30)
class RandomIdsTest {
    @Test
    void idsAcrossSeveralBatchesAreAllDifferentAndNonZeroWhenAsked() {
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            seen.add(RandomIds.nextLong());
            assertNotEquals(0L, RandomIds.nextNonZero());
        }
        assertEquals(200, seen.size(), "200 draws over several batches of 32: no id handed out twice");
    }
}
