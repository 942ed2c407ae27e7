package io.mmipc.examples;

import io.mmipc.examples.counter.SharedCounter;
import io.mmipc.examples.extract.ParallelExtract;
import io.mmipc.examples.pipe.PipeStream;
import io.mmipc.examples.pipeline.InferencePipeline;
import io.mmipc.examples.queue.ProducersConsumers;
import io.mmipc.examples.timeout.PoolTimeouts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every example of issue 19 at a small size, each run twice in a moved objects folder (see
 * {@link ExampleRuns}), checking what its summary says. Sizes are chosen for two busy cores.
 */
class ExamplesTest {
    private static void assertContains(String text, String expected) {
        assertTrue(text.contains(expected), "expected \"" + expected + "\" in:\n" + text);
    }

    @Test
    @Timeout(150)
    void producersAndConsumersJoinShutDownAndReportALostTask() throws Exception {
        for (String out : ExampleRuns.twice(ProducersConsumers::run, "2", "2", "500")) {
            assertContains(out, "round 1 (join + 2 sentinels): 1000 items consumed by 2 processes");
            assertContains(out, "round 2 (join + shutdown()): 1000 items consumed by 2 processes");
            assertContains(out, "lost=0: ok");
            assertContains(out, "exit code -9): join() reported lost=1 task(s)");
            assertContains(out, "the other consumers finished 999 of 1000 items");
            assertContains(out, "summary: ok");
        }
    }

    @Test
    @Timeout(90)
    void pipeStreamEndsOnEofAndAnswersEveryRequest() throws Exception {
        for (String out : ExampleRuns.twice(PipeStream::run, "3000", "400")) {
            assertContains(out, "stream: 3000 records received");
            assertContains(out, "EOF reached after the last one, out of order=0, writer exit code 0: ok");
            assertContains(out, "request/reply: 400 requests answered (server saw EOF and returned served=400), wrong=0");
            assertContains(out, "summary: ok");
        }
    }

    @Test
    @Timeout(120)
    void sharedCounterIsExactWithTheLockAndTheArrayIsFilledInPlace() throws Exception {
        for (String out : ExampleRuns.twice(SharedCounter::run, "6", "5")) {
            // without the lock the result depends on the scheduler: only its line is checked
            assertContains(out, "without the lock: ");
            assertContains(out, "with the lock:    94 (expected 94): ok");
            assertContains(out, ": [0, 1, 4, 9, 16]: ok");
            assertContains(out, "summary: ok");
        }
    }

    @Test
    @Timeout(120)
    void inferencePipelineLosesNothingAndReportsLatencies() throws Exception {
        for (String out : ExampleRuns.twice(InferencePipeline::run, "600", "1000", "2")) {
            assertContains(out, "latency per request: p50 ");
            assertContains(out, "p99 ");
            assertContains(out, "sent=600 preprocessed=600 inferred=600 received=600 lost=0");
            assertContains(out, "summary: ");
            assertFalse(out.contains("CHECK FAILED"), out);
        }
    }

    @Test
    @Timeout(120)
    void parallelExtractionMatchesTheSingleProcessRunAndCleansUp() throws Exception {
        for (String out : ExampleRuns.twice(ParallelExtract::run, "12", "2000", "2")) {
            assertContains(out, "outputs identical");
            assertContains(out, "0 file(s) failed");
            assertContains(out, "summary: speed-up ");
            // the progress bar, not on a terminal here: plain lines, no carriage returns or cursor moves
            assertContains(out, "pool 100%");
            assertFalse(out.contains("\r") || out.contains("\u001b["), "terminal control characters in:\n" + out);
            Matcher m = Pattern.compile("generated in (\\S+) ").matcher(out);
            assertTrue(m.find(), out);
            assertFalse(Files.exists(Path.of(m.group(1))), "temporary folder left: " + m.group(1));
        }
    }

    @Test
    @Timeout(120)
    void poolTimeoutsCancelOnlyTheStuckTasks() throws Exception {
        List<String> outs = ExampleRuns.twice(PoolTimeouts::run, "6", "3", "2000");
        for (String out : outs) {
            assertContains(out, "task 2: cancelled: task over its time limit");
            assertContains(out, "task 5: cancelled: task over its time limit");
            assertContains(out, "summary: 4 finished, 2 timed out [2, 5] (expected [2, 5]), 0 failed otherwise");
        }
    }
}
