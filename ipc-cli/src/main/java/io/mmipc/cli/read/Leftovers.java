package io.mmipc.cli.read;

import io.mmipc.internal.file.Abandoned;
import io.mmipc.internal.file.Directories;
import io.mmipc.internal.proc.ProcessIdentity;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds what {@code mmipc clean} may remove in a folder: abandoned objects (valid, no live process has them
 * open) with their spill files, spill files whose object is gone, and temporary files left by a process
 * that died while creating an object. Objects that cannot be read are reported, never removed: they may
 * not be mmipc's.
 */
public final class Leftovers {
    /** {@code SharedFile.create}'s temporary name: {@code .NAME.mmipc.tmp-PID-HEX}. */
    private static final Pattern TEMP = Pattern.compile("\\.(.+" + Pattern.quote(Directories.SUFFIX)
            + ")\\.tmp-([0-9a-f]{16}|\\d+)-[0-9a-f]+");
    /** {@code Spill}'s side file name: {@code NAME.mmipc.spill-INSTANCE-SEQUENCE} (older mmipc: {@code NAME.mmipc.spill-ID}). */
    private static final Pattern SPILL = Pattern.compile("(.+" + Pattern.quote(Directories.SUFFIX)
            + ")\\.spill-(?:[0-9a-f]{16}-)?\\d+");

    /**
     * One file to remove, or one left alone.
     *
     * @param path   the file
     * @param kind   {@code object}, {@code spill} or {@code temp}
     * @param reason why
     */
    public record Item(Path path, String kind, String reason) {
        /** @return the item's fields, for output */
        public Fields fields() {
            return new Fields().add("path", path.toString()).add("kind", kind).add("reason", reason);
        }
    }

    private final List<Item> removable = new ArrayList<>();
    private final List<Item> kept = new ArrayList<>();

    private Leftovers() {
    }

    /** @return what may be removed */
    public List<Item> removable() {
        return removable;
    }

    /** @return what was looked at and left alone, with the reason (unreadable objects) */
    public List<Item> kept() {
        return kept;
    }

    /**
     * Scans a folder.
     *
     * @param dir the objects folder
     * @return what was found
     * @throws IOException if the folder cannot be listed
     */
    public static Leftovers scan(Path dir) throws IOException {
        Leftovers found = new Leftovers();
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(files::add);
        }
        files.sort(null);
        List<String> removedObjects = new ArrayList<>();
        for (Path f : files) {
            String n = f.getFileName().toString();
            if (n.endsWith(Directories.SUFFIX) && !n.startsWith(".")) {
                ObjectReport r;
                try {
                    r = Inspector.inspect(f);
                } catch (java.nio.file.NoSuchFileException gone) {
                    continue;
                }
                if (r.status() == ObjectReport.Status.ABANDONED) {
                    found.removable.add(new Item(f, "object", r.dead() > 0
                            ? "every process that had it open died (" + r.dead() + " dead)"
                            : "no process has it open"));
                    removedObjects.add(n);
                } else if (r.status() == ObjectReport.Status.CORRUPT) {
                    found.kept.add(new Item(f, "object", "unreadable, left alone: " + String.join("; ", r.problems())));
                }
            }
        }
        for (Path f : files) {
            String n = f.getFileName().toString();
            Matcher spill = SPILL.matcher(n);
            Matcher temp = TEMP.matcher(n);
            if (spill.matches()) {
                String owner = spill.group(1);
                if (removedObjects.contains(owner)) {
                    found.removable.add(new Item(f, "spill", "side file of abandoned " + Inspector.nameOf(Path.of(owner))));
                } else if (!Files.exists(dir.resolve(owner))) {
                    found.removable.add(new Item(f, "spill", "side file of an object that no longer exists"));
                }
            } else if (temp.matches()) {
                String creator = temp.group(2);
                long token = Abandoned.temporaryFileCreator(n);
                if (token != 0) {
                    // A creator named by its process token: alive exactly while it holds its node file's lock.
                    if (!ProcessIdentity.isAlive(token, Directories.nodesDirectory(dir))) {
                        found.removable.add(new Item(f, "temp", "creation left unfinished by "
                                + ProcessIdentity.describe(token) + " (gone)"));
                    }
                } else if (creator.length() < 16 && ProcessHandle.of(Long.parseLong(creator)).isEmpty()) {
                    found.removable.add(new Item(f, "temp", "creation left unfinished by pid " + creator + " (gone)"));
                }
            }
        }
        return found;
    }
}
