package io.mmipc.internal.ring;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The task word's fields move independently and wrap like the tail's 24-bit count. */
@Timeout(10)
class TaskLayoutTest {
    @Test
    void doneAndPoolWrapWithoutTouchingEachOtherOrTheMarks() {
        long w = TaskLayout.withFold(TaskLayout.withPending(0, 127, true), true);
        w = TaskLayout.add(w, TaskLayout.COUNT_MASK, -3);
        assertEquals(TaskLayout.COUNT_MASK, TaskLayout.done(w));
        assertEquals(-3, TaskLayout.pool(w));
        w = TaskLayout.add(w, 1, 5);
        assertEquals(0, TaskLayout.done(w), "done wraps at 2^24 like the claimed count");
        assertEquals(2, TaskLayout.pool(w));
        assertEquals(127, TaskLayout.pendingEntry(w));
        assertTrue(TaskLayout.pendingParity(w));
        assertTrue(TaskLayout.foldPending(w));
        long cleared = TaskLayout.withFold(TaskLayout.withoutPending(w), false);
        assertEquals(-1, TaskLayout.pendingEntry(cleared));
        assertFalse(TaskLayout.pendingParity(cleared));
        assertFalse(TaskLayout.foldPending(cleared));
        assertEquals(TaskLayout.counts(w), cleared);
    }

    @Test
    void theDoneWordFlipsItsParityWithEveryTaskDone() {
        long d = 0;
        for (int i = 1; i <= 3; i++) {
            d = TaskLayout.nextDone(d);
            assertEquals(i, TaskLayout.doneCount(d));
            assertEquals(i % 2 == 1, TaskLayout.parity(d));
        }
        assertEquals(-1, TaskLayout.signed(TaskLayout.COUNT_MASK));
        assertEquals(0, TaskLayout.doneCount(TaskLayout.nextDone(TaskLayout.COUNT_MASK)));
    }
}
