package io.mmipc.cli;

import io.mmipc.SharedObjects;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code mmipc rm NAME...}: removes objects (and a queue's spill files). */
@Command(name = "rm", description = "Remove objects by name (and their spill files). Refuses an object live "
        + "processes have open unless --force: they would keep using it while new opens fail.")
final class RmCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Parameters(paramLabel = "NAME", arity = "1..*", description = "Names of the objects to remove.")
    List<String> names;

    @Option(names = {"-f", "--force"}, description = "Remove even if live processes have it open.")
    boolean force;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Object> removed = new ArrayList<>();
        List<Object> refused = new ArrayList<>();
        int status = ExitCodes.OK;
        for (String name : names) {
            Path file = ObjectName.resolve(options.dir, name);
            String object = Inspector.nameOf(file);
            ObjectReport report;
            try {
                report = Inspector.inspect(file);
            } catch (NoSuchFileException e) {
                refused.add(new Fields().add("name", object).add("reason", "no such object"));
                status = Math.max(status, ExitCodes.NOT_FOUND);
                continue;
            }
            if (report.alive() > 0 && !force) {
                refused.add(new Fields().add("name", object)
                        .add("reason", "in use by " + report.alive() + " live process(es); --force removes it anyway"));
                status = Math.max(status, ExitCodes.IN_USE);
                continue;
            }
            SharedObjects.remove(file.toAbsolutePath().getParent(), object);
            removed.add(object);
        }
        if (options.json) {
            options.printJson(new Fields().add("removed", removed).add("refused", refused), out);
        } else {
            removed.forEach(n -> out.println("removed " + n));
            for (Object o : refused) {
                Fields f = (Fields) o;
                err.println("mmipc: not removed: name=" + f.get("name") + ": " + f.get("reason"));
            }
        }
        out.flush();
        err.flush();
        return status;
    }
}
