package io.mmipc.cli.read;

import io.mmipc.internal.file.HeaderCounters;
import io.mmipc.internal.file.HeaderLayout;
import io.mmipc.internal.file.ObjectType;
import io.mmipc.internal.proc.ProcessIdentity;

/**
 * The common header of an object file, as read (see {@code HeaderLayout}).
 *
 * @param magic        the magic number word
 * @param version      the layout version
 * @param typeCode     the object type code
 * @param declaredSize the file size the header records
 * @param creator      the creator's process token
 * @param creatorAlive whether the creator is alive (by its node file beside the object)
 * @param codecHash    the hash of the creator's codec name, or 0 if none was recorded
 * @param codecName    the codec's short name as recorded, or null
 * @param params       the 16 layout parameters
 * @param counters     the operator counters (takeovers, reclaims, wake-ups, side-file messages, skipped claims),
 *                     or null if the file is too short for them
 */
public record Header(long magic, int version, int typeCode, long declaredSize, long creator, boolean creatorAlive,
                     long codecHash, String codecName, long[] params, long[] counters) {

    /**
     * Reads the header.
     *
     * @param file the file
     * @return the header
     * @throws ShortFileException if the file is too short for one
     */
    public static Header read(ObjectFile file) {
        long[] params = new long[HeaderLayout.PARAM_COUNT];
        for (int i = 0; i < params.length; i++) {
            params[i] = file.getLong(HeaderLayout.paramOffset(i));
        }
        long creator = file.getLong(HeaderLayout.CREATOR_OFFSET);
        long codecHash = file.getLong(HeaderLayout.CODEC_HASH_OFFSET);
        return new Header(file.getLong(HeaderLayout.MAGIC_OFFSET), file.getInt(HeaderLayout.VERSION_OFFSET),
                file.getInt(HeaderLayout.TYPE_OFFSET), file.getLong(HeaderLayout.FILE_SIZE_OFFSET),
                creator, file.isAlive(creator), codecHash, codecHash == 0 ? null : codecName(file), params,
                counters(file));
    }

    /** @return the operator counters, or null if the file ends before them */
    private static long[] counters(ObjectFile file) {
        if (file.size() < HeaderLayout.counterOffset(HeaderLayout.COUNTER_COUNT - 1) + Long.BYTES) {
            return null;
        }
        long[] counters = new long[HeaderLayout.COUNTER_COUNT];
        for (int i = 0; i < counters.length; i++) {
            counters[i] = file.getLong(HeaderLayout.counterOffset(i));
        }
        return counters;
    }

    /** @return the operator counters by name ({@code takeovers}, ...), empty if the file is too short */
    public java.util.Map<String, Long> counterValues() {
        java.util.Map<String, Long> values = new java.util.LinkedHashMap<>();
        for (int i = 0; counters != null && i < counters.length; i++) {
            values.put(HeaderCounters.name(i), counters[i]);
        }
        return values;
    }

    /** @return the codec's short name as the creator recorded it (ASCII, zero-padded in the header) */
    private static String codecName(ObjectFile file) {
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < HeaderLayout.CODEC_NAME_LENGTH; i += Long.BYTES) {
            long word = file.getLong(HeaderLayout.CODEC_NAME_OFFSET + i);
            for (int b = 0; b < Long.BYTES; b++) {
                int c = (int) (word >>> (8 * b)) & 0xFF;
                if (c == 0) {
                    return name.toString();
                }
                name.append(c >= 0x20 && c < 0x7F ? (char) c : '?');
            }
        }
        return name.toString();
    }

    /** @return whether the magic number is mmipc's */
    public boolean magicOk() {
        return magic == HeaderLayout.MAGIC;
    }

    /** @return the object type, or null for a code this version does not know */
    public ObjectType type() {
        return ObjectType.ofCode(typeCode);
    }

    /**
     * @param i a parameter index
     * @return layout parameter {@code i}
     */
    public long param(int i) {
        return params[i];
    }

    /** @return the header's fields, for {@code mmipc inspect} */
    public Fields fields() {
        Fields f = new Fields();
        f.add("magic", String.format("0x%016x%s", magic, magicOk() ? " (MMIPC-v2)"
                : magic == HeaderLayout.MAGIC_V1 ? " (MMIPC-v1: an older mmipc's file)" : " (not mmipc)"));
        f.add("layoutVersion", version);
        ObjectType t = type();
        f.add("typeCode", typeCode);
        f.add("type", t == null ? "unknown" : t.label());
        f.add("declaredSize", declaredSize);
        f.add("creator", creator == 0 ? null : new Fields().add("pid", ProcessIdentity.pid(creator))
                .add("alive", creatorAlive).add("token", creator));
        f.add("codec", codecName == null ? "none recorded" : codecName);
        java.util.List<Object> p = new java.util.ArrayList<>();
        for (long v : params) {
            p.add(v);
        }
        f.add("params", p);
        Fields c = new Fields();
        counterValues().forEach(c::add);
        f.add("counters", counters == null ? null : c);
        return f;
    }
}
