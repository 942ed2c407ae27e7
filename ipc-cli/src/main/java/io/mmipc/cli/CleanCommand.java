package io.mmipc.cli;

import io.mmipc.SharedObjects;
import io.mmipc.cli.read.Fields;
import io.mmipc.cli.read.Inspector;
import io.mmipc.cli.read.Leftovers;
import io.mmipc.cli.read.ObjectReport;
import io.mmipc.internal.file.Directories;
import io.mmipc.internal.proc.ProcessIdentity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code mmipc clean}: removes abandoned objects and leftover temporary and spill files. */
@Command(name = "clean", description = "Remove objects no live process has open (with their spill files), spill "
        + "files whose object is gone, and temporary files of creations a dead process left unfinished. "
        + "Unreadable objects are reported and left alone.")
final class CleanCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Option(names = "--dry-run", description = "Only say what would be removed.")
    boolean dryRun;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (!options.dirExists(spec.commandLine().getErr())) {
            return ExitCodes.NOT_FOUND;
        }
        Leftovers found = Leftovers.scan(options.dir);
        List<Object> removed = new ArrayList<>();
        List<Object> kept = new ArrayList<>();
        found.kept().forEach(k -> kept.add(k.fields()));
        int status = found.kept().isEmpty() ? ExitCodes.OK : ExitCodes.PROBLEMS;
        for (Leftovers.Item item : found.removable()) {
            if (dryRun) {
                removed.add(item.fields());
                continue;
            }
            try {
                if (item.kind().equals("object")) {
                    // Re-checked just before removal: a process may have opened it since the scan.
                    ObjectReport again = Inspector.inspect(item.path());
                    if (again.status() != ObjectReport.Status.ABANDONED) {
                        kept.add(new Leftovers.Item(item.path(), item.kind(), "opened again since the scan").fields());
                        continue;
                    }
                    SharedObjects.remove(options.dir, again.name());
                } else {
                    Files.deleteIfExists(item.path());
                }
                removed.add(item.fields());
            } catch (NoSuchFileException goneMeanwhile) {
                // removed by someone else: nothing left to do
            } catch (IOException e) {
                kept.add(new Leftovers.Item(item.path(), item.kind(), "cannot remove: " + e).fields());
                status = ExitCodes.IO_ERROR;
            }
        }
        // Node files of dead processes go last: liveness checks above needed them (see ProcessIdentity).
        int deadNodes = dryRun ? 0 : ProcessIdentity.removeDeadNodes(Directories.nodesDirectory(options.dir));
        if (options.json) {
            options.printJson(new Fields().add("dir", options.dir.toString()).add("dryRun", dryRun)
                    .add("removed", removed).add("kept", kept).add("deadNodeFilesRemoved", deadNodes), out);
        } else {
            String verb = dryRun ? "would remove " : "removed ";
            for (Object o : removed) {
                Fields f = (Fields) o;
                out.println(verb + f.get("kind") + " " + f.get("path") + ": " + f.get("reason"));
            }
            for (Object o : kept) {
                Fields f = (Fields) o;
                out.println("kept " + f.get("kind") + " " + f.get("path") + ": " + f.get("reason"));
            }
            if (deadNodes > 0) {
                out.println("removed " + deadNodes + " node file(s) of dead processes");
            }
            if (removed.isEmpty() && kept.isEmpty() && deadNodes == 0) {
                out.println("nothing to clean in " + options.dir);
            }
        }
        out.flush();
        return status;
    }
}
