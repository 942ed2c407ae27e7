package io.mmipc.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When the pool's result thread polls for a worker's words instead of sleeping on the result queue. */
@Timeout(30)
class WorkerSlotTest {
    private static final long WINDOW = 2_000_000_000L;

    @Test
    void theParentPollsUntilAWorkerIsReadyAnsweredAndWarm() throws Exception {
        WorkerSlot s = new WorkerSlot(0, 1, null, null);
        long now = s.startedAt + 1_000;
        assertTrue(s.starting(now, WINDOW), "not ready yet");
        s.readyAt = now;
        assertFalse(s.starting(now, WINDOW), "ready and idle: nothing awaited");
        s.outstanding.add(new Batch(1, null, TaskSerializer.write(new Object[] {1}), 1, null));
        assertTrue(s.starting(now, WINDOW), "its first result is awaited");
        s.outstanding.clear();
        s.lastResultAt = now;
        assertTrue(s.starting(now, WINDOW), "answered, but its wake-ups are not loaded yet (no WARM)");
        s.warmAt = now;
        assertFalse(s.starting(now, WINDOW), "warm: the parent may sleep, the worker's put rings at no cost");
        s.warmAt = 0;
        assertFalse(s.starting(s.startedAt + WINDOW, WINDOW), "never past the window");
    }
}
