package io.mmipc.cli.read;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the command learned about one object file: the common header, the process registry, the
 * waiter table, the type-specific description and the problems found. Built by {@link Inspector}.
 */
public final class ObjectReport {
    /** How usable the file is. */
    public enum Status {
        /** A valid object with at least one live process attached. */
        OK,
        /** A valid object no live process has open: {@code mmipc clean} removes it. */
        ABANDONED,
        /** Not readable as an mmipc object: truncated, bad magic, unknown type or layout. */
        CORRUPT
    }

    final String name;
    final Path path;
    final long fileSize;
    Header header;
    String typeLabel = "unknown";
    final List<RegistryEntry> registry = new ArrayList<>();
    final List<WaiterSlot> waiters = new ArrayList<>();
    final Description description = new Description();
    final List<String> problems = new ArrayList<>();
    String[] counterNames = new String[0];

    ObjectReport(String name, Path path, long fileSize) {
        this.name = name;
        this.path = path;
        this.fileSize = fileSize;
    }

    /** @return the object's name */
    public String name() {
        return name;
    }

    /** @return the object's file */
    public Path path() {
        return path;
    }

    /** @return the file's size in bytes */
    public long fileSize() {
        return fileSize;
    }

    /** @return the type's label ({@code queue}, {@code lock}, ...), or {@code unknown} */
    public String type() {
        return typeLabel;
    }

    /** @return the header, or null if the file is too short for one */
    public Header header() {
        return header;
    }

    /** @return the used registry entries */
    public List<RegistryEntry> registry() {
        return registry;
    }

    /** @return the type-specific description */
    public Description description() {
        return description;
    }

    /** @return every problem found, the describer's included */
    public List<String> problems() {
        List<String> all = new ArrayList<>(problems);
        all.addAll(description.problems());
        return all;
    }

    /** @return the number of attached processes that are alive */
    public long alive() {
        return registry.stream().filter(RegistryEntry::alive).count();
    }

    /** @return the number of attached processes that died without detaching */
    public long dead() {
        return registry.size() - alive();
    }

    /** @return how usable the file is */
    public Status status() {
        if (header == null || !problems().isEmpty()) {
            return Status.CORRUPT;
        }
        return alive() == 0 ? Status.ABANDONED : Status.OK;
    }

    /** @return the attached processes as text, e.g. {@code 2 alive, 1 dead} */
    public String processesText() {
        if (registry.isEmpty()) {
            return "none";
        }
        return alive() + " alive" + (dead() > 0 ? ", " + dead() + " dead" : "");
    }

    /** @return the fields {@code mmipc list} shows */
    public Fields summary() {
        Fields f = new Fields().add("name", name).add("type", typeLabel).add("size", fileSize)
                .add("status", status().name().toLowerCase(java.util.Locale.ROOT))
                .add("processes", new Fields().add("alive", alive()).add("dead", dead()));
        f.add("details", description.summary());
        List<String> p = problems();
        if (!p.isEmpty()) {
            f.add("problems", p);
        }
        return f;
    }

    /** @return every field, for {@code mmipc inspect} */
    public Fields full() {
        Fields f = new Fields().add("name", name).add("path", path.toString()).add("type", typeLabel)
                .add("size", fileSize).add("status", status().name().toLowerCase(java.util.Locale.ROOT));
        List<String> p = problems();
        if (!p.isEmpty()) {
            f.add("problems", p);
        }
        if (header != null) {
            f.add("header", header.fields());
        }
        f.add("summary", description.summary());
        f.add("layout", description.body());
        List<Object> entries = new ArrayList<>();
        for (RegistryEntry e : registry) {
            entries.add(e.fields(counterNames));
        }
        f.add("registry", entries);
        List<Object> slots = new ArrayList<>();
        for (WaiterSlot w : waiters) {
            slots.add(w.fields(description.events().get(w.event())));
        }
        f.add("waiters", slots);
        return f;
    }
}
