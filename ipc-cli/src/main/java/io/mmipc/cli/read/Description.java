package io.mmipc.cli.read;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a describer found in the type-specific part of an object: a short summary (for {@code list} and
 * {@code watch}), every layout field (for {@code inspect}), counters (for rates), the names of its event
 * words (so the waiter table can say what each sleeper waits for) and any problem it noticed.
 */
public final class Description {
    private final Fields summary = new Fields();
    private final Fields body = new Fields();
    private final Map<String, Counter> counters = new LinkedHashMap<>();
    private final Map<Integer, String> events = new TreeMap<>();
    private final List<String> problems = new ArrayList<>();

    /** @return the summary fields, a few per type */
    public Fields summary() {
        return summary;
    }

    /** @return every type-specific field */
    public Fields body() {
        return body;
    }

    /** @return the counters, by name */
    public Map<String, Counter> counters() {
        return counters;
    }

    /** @return the event words' names, by offset */
    public Map<Integer, String> events() {
        return events;
    }

    /** @return the problems found */
    public List<String> problems() {
        return problems;
    }

    /**
     * Records a counter.
     *
     * @param name  its name
     * @param value its value now
     * @param mask  {@link Counter#mask()}
     */
    public void counter(String name, long value, long mask) {
        counters.put(name, new Counter(value, mask));
    }

    /**
     * Records a problem.
     *
     * @param problem what is wrong, {@code key=value} style
     */
    public void problem(String problem) {
        problems.add(problem);
    }

    /**
     * Reads an event word (an {@code EventCount}) and names it.
     *
     * @param file   the file
     * @param offset the event word's offset
     * @param name   what it signals, e.g. {@code not-empty}
     * @return its sequence and sleeper count
     */
    public Fields event(ObjectFile file, int offset, String name) {
        events.put(offset, name);
        return new Fields().add("sequence", Integer.toUnsignedLong(file.getInt(offset + LayoutMirror.EVENT_SEQUENCE)))
                .add("sleepers", file.getInt(offset + LayoutMirror.EVENT_SLEEPERS) & LayoutMirror.SLEEPERS_COUNT_MASK);
    }
}
