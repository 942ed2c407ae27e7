package io.mmipc.cli.read;

import io.mmipc.internal.file.Directories;
import io.mmipc.internal.file.HeaderLayout;
import io.mmipc.internal.file.ObjectType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Reads one object file into an {@link ObjectReport} without disturbing it, and never fails on a bad
 * file: a truncated, foreign or unknown file gives a report whose problems say what is wrong.
 */
public final class Inspector {
    private Inspector() {
    }

    /**
     * @param file an object file ({@code NAME.mmipc})
     * @return the object's name: the file name without the suffix
     */
    public static String nameOf(Path file) {
        String n = file.getFileName().toString();
        return n.endsWith(Directories.SUFFIX) ? n.substring(0, n.length() - Directories.SUFFIX.length()) : n;
    }

    /**
     * Reads an object file.
     *
     * @param path the file
     * @return what was found
     * @throws java.nio.file.NoSuchFileException if there is no such file (any other failure to open it is
     *         reported as a problem)
     * @throws IOException if closing the file fails
     */
    public static ObjectReport inspect(Path path) throws IOException {
        ObjectFile opened;
        try {
            opened = ObjectFile.open(path);
        } catch (java.nio.file.NoSuchFileException e) {
            throw e;
        } catch (IOException e) {
            // Another user's object (files are owner-only), or a folder named like an object.
            ObjectReport report = new ObjectReport(nameOf(path), path, -1);
            report.problems.add("cannot open: " + e);
            return report;
        }
        try (ObjectFile file = opened) {
            ObjectReport report = new ObjectReport(nameOf(path), path, file.size());
            try {
                read(file, report);
            } catch (ShortFileException | UncheckedIOException e) {
                report.problems.add(e.getMessage());
            } catch (RuntimeException e) {
                report.problems.add("cannot read: " + e);
            }
            return report;
        }
    }

    private static void read(ObjectFile file, ObjectReport report) {
        if (file.size() < HeaderLayout.BODY_OFFSET) {
            report.problems.add("file too short for a header: size=" + file.size() + ", header="
                    + HeaderLayout.BODY_OFFSET);
            if (file.size() < HeaderLayout.PARAMS_OFFSET + 8 * HeaderLayout.PARAM_COUNT) {
                return;
            }
        }
        Header header = Header.read(file);
        report.header = header;
        if (!header.magicOk()) {
            report.problems.add("not an mmipc object: bad magic number");
            return;
        }
        ObjectType type = header.type();
        if (type == null) {
            report.problems.add("unknown object type: code=" + header.typeCode() + " (made by a newer mmipc?)");
        } else {
            report.typeLabel = type.label();
        }
        if (header.declaredSize() != file.size()) {
            report.problems.add("file size does not match its header (truncated or corrupt): header="
                    + header.declaredSize() + ", actual=" + file.size());
        }
        if (file.size() < HeaderLayout.BODY_OFFSET) {
            return;
        }
        report.registry.addAll(RegistryEntry.readAll(file));
        report.waiters.addAll(WaiterSlot.readAll(file));
        Describer describer = type == null ? null : Describers.of(type);
        if (describer == null) {
            return;
        }
        report.counterNames = describer.counterNames();
        if (header.version() != describer.version()) {
            report.problems.add("unsupported layout version: expected=" + describer.version() + ", found="
                    + header.version());
            return;
        }
        describer.describe(file, header, report.registry, report.description);
        // The header's operator counters only grow: mmipc watch shows their rates beside the type's own.
        header.counterValues().forEach((name, value) -> report.description.counter(name, value, -1));
    }
}
