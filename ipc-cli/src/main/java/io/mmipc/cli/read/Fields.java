package io.mmipc.cli.read;

import java.util.LinkedHashMap;

/**
 * Named values in insertion order: what the command prints as text or JSON. Values are strings, numbers,
 * booleans, null, {@code Fields} or lists of those.
 */
public final class Fields extends LinkedHashMap<String, Object> {
    private static final long serialVersionUID = 1L;

    /**
     * Adds (or replaces) a field.
     *
     * @param key   the name
     * @param value the value
     * @return this, for chaining
     */
    public Fields add(String key, Object value) {
        put(key, value);
        return this;
    }

    /**
     * Adds a nested group of fields.
     *
     * @param key the name of the group
     * @return the new, empty group
     */
    public Fields section(String key) {
        Fields f = new Fields();
        put(key, f);
        return f;
    }
}
