package io.mmipc.cli;

import io.mmipc.cli.read.Fields;
import io.mmipc.cli.read.Inspector;
import io.mmipc.cli.read.ObjectReport;
import io.mmipc.internal.file.Directories;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code mmipc list}: every object in the folder with its type, size, processes and state. */
@Command(name = "list", aliases = "ls", description = "List the objects: type, size, attached processes (alive/dead) "
        + "and per type depth, tasks, pipe ends, lock owner, permits, parties.")
final class ListCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (!options.dirExists(spec.commandLine().getErr())) {
            return ExitCodes.NOT_FOUND;
        }
        List<ObjectReport> reports = new ArrayList<>();
        for (Path f : objectFiles(options.dir)) {
            try {
                reports.add(Inspector.inspect(f));
            } catch (NoSuchFileException removedMeanwhile) {
                // removed between listing and reading
            }
        }
        long sideFiles = sideFiles(options.dir);
        if (options.json) {
            List<Object> objects = new ArrayList<>();
            reports.forEach(r -> objects.add(r.summary()));
            options.printJson(new Fields().add("dir", options.dir.toString()).add("objects", objects)
                    .add("spillAndTemporaryFiles", sideFiles), out);
        } else {
            printTable(reports, out);
            if (sideFiles > 0) {
                out.println("(also " + sideFiles + " spill or temporary files; mmipc clean --dry-run shows the leftovers)");
            }
        }
        out.flush();
        return reports.stream().anyMatch(r -> r.status() == ObjectReport.Status.CORRUPT)
                ? ExitCodes.PROBLEMS : ExitCodes.OK;
    }

    /**
     * @param dir a folder
     * @return its object files, sorted by name
     * @throws IOException if it cannot be listed
     */
    static List<Path> objectFiles(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*" + Directories.SUFFIX)) {
            for (Path f : stream) {
                if (!f.getFileName().toString().startsWith(".")) {
                    files.add(f);
                }
            }
        }
        files.sort(null);
        return files;
    }

    /** @return the number of spill and temporary files in {@code dir} (in use or left over) */
    private static long sideFiles(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.contains(Directories.SUFFIX + ".spill-") || n.contains(Directories.SUFFIX + ".tmp-"))
                    .count();
        }
    }

    private static void printTable(List<ObjectReport> reports, PrintWriter out) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "TYPE", "SIZE", "PROCESSES", "STATUS", "DETAILS"});
        for (ObjectReport r : reports) {
            String details = Text.inline(r.description().summary());
            if (!r.problems().isEmpty()) {
                details = String.join("; ", r.problems());
            }
            rows.add(new String[] {r.name(), r.type(), bytes(r.fileSize()), r.processesText(),
                    r.status().name().toLowerCase(java.util.Locale.ROOT), details});
        }
        int[] width = new int[5];
        for (String[] row : rows) {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < width.length; i++) {
                line.append(String.format("%-" + width[i] + "s  ", row[i]));
            }
            out.println(line.append(row[5]).toString().stripTrailing());
        }
        if (reports.isEmpty()) {
            out.println("(no objects)");
        }
    }

    /**
     * @param n a byte count
     * @return it in B, KiB, MiB or GiB
     */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
