package io.mmipc.cli;

import io.mmipc.cli.read.Inspector;
import io.mmipc.cli.read.ObjectReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code mmipc inspect NAME}: every header and layout field, the registry and the waiter table. */
@Command(name = "inspect", description = "Show every header and layout field of one object, its process registry "
        + "and its waiter table. Reads only: no attach, no lock, no wake-up.")
final class InspectCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Parameters(paramLabel = "NAME", description = "The object's name, or the path of an object file.")
    String name;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Path file = ObjectName.resolve(options.dir, name);
        ObjectReport report;
        try {
            report = Inspector.inspect(file);
        } catch (NoSuchFileException e) {
            spec.commandLine().getErr().println("mmipc: no such object: name=" + name + ", file=" + file);
            return ExitCodes.NOT_FOUND;
        }
        PrintWriter out = spec.commandLine().getOut();
        if (options.json) {
            options.printJson(report.full(), out);
        } else {
            Text.print(report.full(), "", out);
        }
        out.flush();
        return report.status() == ObjectReport.Status.CORRUPT ? ExitCodes.PROBLEMS : ExitCodes.OK;
    }
}
