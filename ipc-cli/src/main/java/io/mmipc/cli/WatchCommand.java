package io.mmipc.cli;

import io.mmipc.cli.read.Counter;
import io.mmipc.cli.read.Fields;
import io.mmipc.cli.read.Inspector;
import io.mmipc.cli.read.ObjectReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code mmipc watch NAME}: the object's state and rates (messages, tasks, takeovers per second), refreshed. */
@Command(name = "watch", description = "Show one object's state and rates (messages put/taken, tasks done, "
        + "takeovers... per second), refreshed in place on a terminal.")
final class WatchCommand implements Callable<Integer> {
    /** Clears a terminal and puts the cursor at the top left. */
    private static final String CLEAR = "\033[H\033[2J";

    @Mixin
    CommonOptions options;

    @Parameters(paramLabel = "NAME", description = "The object's name, or the path of an object file.")
    String name;

    @Option(names = {"-n", "--interval"}, paramLabel = "SECONDS", defaultValue = "1",
            description = "Seconds between refreshes (default: ${DEFAULT-VALUE}).")
    double interval;

    @Option(names = {"-c", "--count"}, paramLabel = "N", defaultValue = "0",
            description = "Stop after N refreshes (default: 0, until interrupted).")
    long count;

    @Option(names = "--no-clear", description = "Print each refresh below the last instead of in place.")
    boolean noClear;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (!(interval > 0) || interval > 86_400) {
            spec.commandLine().getErr().println("mmipc: interval out of range (0, 86400] seconds: interval=" + interval);
            return ExitCodes.USAGE;
        }
        Path file = ObjectName.resolve(options.dir, name);
        PrintWriter out = spec.commandLine().getOut();
        boolean inPlace = !options.json && !noClear && System.console() != null;
        ObjectReport previous = null;
        long previousAt = 0;
        int status = ExitCodes.OK;
        for (long round = 1; count == 0 || round <= count; round++) {
            ObjectReport now;
            try {
                now = Inspector.inspect(file);
            } catch (NoSuchFileException e) {
                spec.commandLine().getErr().println("mmipc: no such object (removed?): name=" + name + ", file=" + file);
                return ExitCodes.NOT_FOUND;
            }
            long at = System.nanoTime();
            Fields rates = previous == null ? new Fields() : rates(previous, now, (at - previousAt) / 1e9);
            Fields frame = new Fields().add("time", LocalTime.now().truncatedTo(ChronoUnit.MILLIS).toString())
                    .add("name", now.name()).add("type", now.type())
                    .add("status", now.status().name().toLowerCase(Locale.ROOT))
                    .add("processes", new Fields().add("alive", now.alive()).add("dead", now.dead()))
                    .add("state", now.description().summary()).add("ratesPerSecond", rates);
            if (!now.problems().isEmpty()) {
                frame.add("problems", now.problems());
                status = ExitCodes.PROBLEMS;
            }
            if (options.json) {
                options.printJson(frame, out);
            } else {
                if (inPlace) {
                    out.print(CLEAR);
                }
                out.println(now.name() + " (" + now.type() + ") at " + frame.get("time") + ", every " + interval
                        + " s: " + frame.get("status") + ", processes " + now.processesText());
                out.println("  state:   " + Text.inline(now.description().summary()));
                out.println("  rates/s: " + (rates.isEmpty() ? "-" : Text.inline(rates)));
                for (String problem : now.problems()) {
                    out.println("  problem: " + problem);
                }
                out.flush();
            }
            previous = now;
            previousAt = at;
            if (count == 0 || round < count) {
                Thread.sleep(Math.max(1, (long) (interval * 1000)));
            }
        }
        return status;
    }

    private static Fields rates(ObjectReport before, ObjectReport now, double seconds) {
        Fields rates = new Fields();
        for (Map.Entry<String, Counter> e : now.description().counters().entrySet()) {
            Counter earlier = before.description().counters().get(e.getKey());
            if (earlier != null && seconds > 0) {
                rates.add(e.getKey(), Math.round(e.getValue().since(earlier) / seconds * 10) / 10.0);
            }
        }
        return rates;
    }
}
