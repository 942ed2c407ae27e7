package io.mmipc.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's main job, small: worker processes, exactly-once results, shutdown, ping-pong. */
@Timeout(180)
class WorkerPoolDemoTest {
    @Test
    void demoRunsAcrossRealProcesses() throws Exception {
        assertTrue(WorkerPoolDemo.run(2, 5_000, 2_000));
    }
}
