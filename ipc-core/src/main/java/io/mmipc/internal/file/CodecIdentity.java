package io.mmipc.internal.file;

import io.mmipc.ObjectFileException;
import io.mmipc.internal.mem.MappedMemory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The codec a queue or pipe was created with, recorded in its header (a 64-bit hash of the codec's name and
 * a short readable form, see {@link HeaderLayout}) so that opening it with another codec fails clearly
 * instead of decoding garbage. A null name (a codec that does not name itself) records nothing and checks
 * nothing; a name starting with {@link #ANY} opens a file whatever it records (byte-level tools) and
 * records the rest of the name.
 */
public final class CodecIdentity {
    /** The prefix of a codec name that accepts any recorded codec on open. */
    public static final String ANY = "*";

    private CodecIdentity() {
    }

    /** @return the 64-bit FNV-1a hash of a name (never 0 for a non-null name), or 0 for null */
    static long hash(String name) {
        if (name == null) {
            return 0;
        }
        long h = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h == 0 ? 1 : h;
    }

    /** @return the name as stored: at most {@link HeaderLayout#CODEC_NAME_LENGTH} ASCII bytes */
    static String shortName(String name) {
        // One '?' per code point outside printable ASCII (a loop: no regex engine in a process's first open).
        StringBuilder printable = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); ) {
            int c = name.codePointAt(i);
            printable.append(c >= 0x20 && c <= 0x7e ? (char) c : '?');
            i += Character.charCount(c);
        }
        String ascii = printable.toString();
        int max = HeaderLayout.CODEC_NAME_LENGTH;
        return ascii.length() <= max ? ascii : ascii.substring(0, max - 3) + "...";
    }

    /** Records a creator's codec in a new file's header (before it is published). */
    static void write(MappedMemory memory, String name) {
        String recorded = name != null && name.startsWith(ANY) ? name.substring(ANY.length()) : name;
        if (recorded == null || recorded.isEmpty()) {
            return;
        }
        memory.putLong(HeaderLayout.CODEC_HASH_OFFSET, hash(recorded));
        byte[] bytes = shortName(recorded).getBytes(StandardCharsets.US_ASCII);
        memory.putBytes(HeaderLayout.CODEC_NAME_OFFSET, bytes, 0, bytes.length);
    }

    /** @return the short name recorded in a header read into {@code head}, or null if none */
    static String recorded(ByteBuffer head) {
        if (head.getLong(HeaderLayout.CODEC_HASH_OFFSET) == 0) {
            return null;
        }
        byte[] bytes = new byte[HeaderLayout.CODEC_NAME_LENGTH];
        head.get(HeaderLayout.CODEC_NAME_OFFSET, bytes);
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) {
            n++;
        }
        return new String(bytes, 0, n, StandardCharsets.US_ASCII);
    }

    /**
     * Checks the codec an opener asks for against the one the file records.
     *
     * @param path      the file
     * @param head      its header bytes
     * @param requested the opener's codec name (null or {@link #ANY}: no check)
     * @throws ObjectFileException naming both codecs if they differ
     */
    static void check(Path path, ByteBuffer head, String requested) throws ObjectFileException {
        long found = head.getLong(HeaderLayout.CODEC_HASH_OFFSET);
        if (requested == null || requested.startsWith(ANY) || found == 0 || found == hash(requested)) {
            return;
        }
        throw new ObjectFileException(path, "codec mismatch: file=" + recorded(head) + ", requested="
                + shortName(requested) + " (open with the codec it was created with, or Codecs.anyBytes() to"
                + " read the raw bytes)");
    }
}
