package io.mmipc.cli.read;

/** A field lies beyond the end of the file: the file is truncated, or its header describes a larger one. */
public final class ShortFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param offset where the field starts
     * @param length its size in bytes
     * @param size   the size of the file
     */
    public ShortFileException(long offset, int length, long size) {
        super("file too short: field at offset=" + offset + " needs " + (offset + length) + " bytes, size=" + size);
    }
}
