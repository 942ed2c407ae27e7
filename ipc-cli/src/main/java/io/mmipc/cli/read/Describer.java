package io.mmipc.cli.read;

import java.util.List;

/**
 * Reads the type-specific part of one kind of object file. One small implementation per layout, reading
 * through that layout's descriptor constants, so a layout change touches one describer.
 */
public interface Describer {
    /** @return the layout version this describer understands */
    int version();

    /**
     * @return names of the registry entry counters of this type, in counter order (may be shorter than
     *         the counter count)
     */
    default String[] counterNames() {
        return new String[0];
    }

    /**
     * Describes an object. May throw {@link ShortFileException} when the file ends early; the caller
     * reports it.
     *
     * @param file     the file
     * @param header   its common header (magic, type and version already checked)
     * @param registry its used registry entries
     * @param out      where to put what was found
     */
    void describe(ObjectFile file, Header header, List<RegistryEntry> registry, Description out);
}
