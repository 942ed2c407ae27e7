package io.mmipc.examples;

import io.mmipc.examples.counter.SharedCounter;
import io.mmipc.examples.extract.ParallelExtract;
import io.mmipc.examples.pipe.PipeStream;
import io.mmipc.examples.pipeline.InferencePipeline;
import io.mmipc.examples.queue.ProducersConsumers;
import io.mmipc.examples.timeout.PoolTimeouts;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one example by name: {@code scripts/example NAME [args]}. Without a name it lists them.
 */
public final class Example {
    /** An example's entry point: prints to {@code out}, returns whether its checks passed. */
    @FunctionalInterface
    public interface Entry {
        /**
         * @param out  where the example prints
         * @param args its arguments
         * @return whether its checks passed
         * @throws Exception if it fails
         */
        boolean run(PrintStream out, String... args) throws Exception;
    }

    private static final Map<String, Entry> EXAMPLES = new LinkedHashMap<>();
    private static final Map<String, String> USAGE = new LinkedHashMap<>();

    static {
        add("producers-consumers", ProducersConsumers::run, "[producers] [consumers] [itemsPerProducer]");
        add("pipe-stream", PipeStream::run, "[records] [requests]");
        add("counter", SharedCounter::run, "[processes] [arrayLength]");
        add("pipeline", InferencePipeline::run, "[requests] [requestsPerSecond] [preprocessors]");
        add("extract", ParallelExtract::run, "[files] [rowsPerFile] [workers]");
        add("timeouts", PoolTimeouts::run, "[tasks] [stuckEvery] [limitMillis]");
    }

    private Example() {
    }

    private static void add(String name, Entry entry, String usage) {
        EXAMPLES.put(name, entry);
        USAGE.put(name, usage);
    }

    /**
     * @param args the example's name, then its arguments
     * @throws Exception if the example fails; the exit status is 1 when a check fails, 2 for a bad name
     */
    public static void main(String[] args) throws Exception {
        Entry e = args.length == 0 ? null : EXAMPLES.get(args[0]);
        if (e == null) {
            System.err.println(args.length == 0 ? "usage: scripts/example NAME [args]" : "no example named " + args[0]);
            USAGE.forEach((name, usage) -> System.err.println("  " + name + " " + usage));
            System.exit(2);
        }
        if (!e.run(System.out, Arrays.copyOfRange(args, 1, args.length))) {
            System.exit(1);
        }
    }
}
