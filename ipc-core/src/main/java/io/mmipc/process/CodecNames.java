package io.mmipc.process;

import io.mmipc.codec.Codec;
import io.mmipc.codec.Codecs;

import java.util.Map;

/** Names for the built-in codecs of {@link Codecs}, so a handle's codec can be named in a descriptor. */
final class CodecNames {
    private static final Map<String, Codec<?>> BY_NAME = Map.ofEntries(Map.entry("bytes", Codecs.bytes()),
            Map.entry("byteBuffer", Codecs.byteBuffer()), Map.entry("string", Codecs.string()),
            Map.entry("int32", Codecs.int32()), Map.entry("int64", Codecs.int64()),
            Map.entry("float64", Codecs.float64()), Map.entry("float32", Codecs.float32()),
            Map.entry("int16", Codecs.int16()), Map.entry("int8", Codecs.int8()),
            Map.entry("character", Codecs.character()), Map.entry("bool", Codecs.bool()));

    private CodecNames() {
    }

    /** @return the name of a built-in codec, or null if {@code codec} is not one */
    static String nameOf(Codec<?> codec) {
        for (Map.Entry<String, Codec<?>> e : BY_NAME.entrySet()) {
            if (e.getValue() == codec) {
                return e.getKey();
            }
        }
        return null;
    }

    /**
     * @param name a built-in codec's name
     * @return the codec
     * @throws IllegalArgumentException if there is none of that name
     */
    static Codec<?> byName(String name) {
        Codec<?> c = BY_NAME.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no built-in codec of that name: codec=" + name + ", known="
                    + new java.util.TreeSet<>(BY_NAME.keySet()));
        }
        return c;
    }
}
