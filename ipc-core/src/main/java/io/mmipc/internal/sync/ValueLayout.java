package io.mmipc.internal.sync;

import io.mmipc.internal.file.HeaderLayout;

/**
 * Descriptor of a shared value or array file: an optional reentrant lock block, then the elements.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |     common header; parameters: kind, length, flags            | 0
 *  +---------------------------------------------------------------+
 *  |     lock block (LockLayout), reentrant; zero if FLAG_LOCK off  | B = BODY_OFFSET
 *  +---------------------------------------------------------------+
 *  |     reserved to B+128 (the data starts on its own cache line)  |
 *  +---------------------------------------------------------------+
 *  |     element 0 | element 1 | ...   length x element size,      | DATA = B+128
 *  |     each naturally aligned, padded to a multiple of 8 bytes    |
 *  +---------------------------------------------------------------+
 *
 *  kind: 1 byte (1 byte), 2 int (4 bytes), 3 long (8 bytes), 4 double (8 bytes, IEEE 754 bits)
 * </pre>
 *
 * Elements are read and written with volatile accesses and updated atomically with CAS or get-and-add on
 * the element's own word (a double through its raw bits; a byte through the aligned int that contains it),
 * so single-element operations need no lock. Bulk copies are element by element (each element atomic,
 * the copy as a whole not), fenced at the end (writes) or start (reads). The lock serves compound updates
 * ({@code get} then {@code set}), as in Python.
 */
public final class ValueLayout {
    /** Layout version of value and array files. */
    public static final int VERSION = 1;
    /** Parameter index: the element kind. */
    public static final int P_KIND = 0;
    /** Parameter index: the number of elements (1 for a value). */
    public static final int P_LENGTH = 1;
    /** Parameter index: flags ({@link #FLAG_LOCK}). */
    public static final int P_FLAGS = 2;
    /** Flag: the file has a lock. */
    public static final long FLAG_LOCK = 1;

    /** Kind: byte. */
    public static final int BYTE = 1;
    /** Kind: int. */
    public static final int INT = 2;
    /** Kind: long. */
    public static final int LONG = 3;
    /** Kind: double. */
    public static final int DOUBLE = 4;

    /** Offset of the lock block. */
    public static final int LOCK = HeaderLayout.BODY_OFFSET;
    /** Offset of element 0. */
    public static final int DATA = LOCK + 128;
    /** Largest data size in bytes (a JDK 17 mapping is at most 2 GiB). */
    public static final long MAX_DATA_BYTES = Integer.MAX_VALUE - DATA - 128;

    private ValueLayout() {
    }

    /** @return the bytes per element of {@code kind}, or 0 if the kind is unknown */
    public static int elementSize(long kind) {
        switch ((int) kind) {
            case BYTE:
                return 1;
            case INT:
                return 4;
            case LONG:
            case DOUBLE:
                return 8;
            default:
                return 0;
        }
    }

    /** @return the Java name of {@code kind}, for messages */
    public static String kindName(long kind) {
        switch ((int) kind) {
            case BYTE:
                return "byte";
            case INT:
                return "int";
            case LONG:
                return "long";
            case DOUBLE:
                return "double";
            default:
                return "unknown kind " + kind;
        }
    }

    /** @return the largest length of an array of {@code kind} */
    public static long maxLength(int kind) {
        return MAX_DATA_BYTES / elementSize(kind);
    }

    /** @return the size of a file holding {@code length} elements of {@code kind} */
    public static long fileSize(int kind, long length) {
        return HeaderLayout.align(DATA + HeaderLayout.align(length * elementSize(kind), 8), 128);
    }

    /** @return the offset of element {@code index} of {@code kind} */
    public static long offset(int kind, int index) {
        return DATA + (long) index * elementSize(kind);
    }
}
