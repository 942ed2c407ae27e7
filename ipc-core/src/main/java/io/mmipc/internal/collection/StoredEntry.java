package io.mmipc.internal.collection;

/** One entry (or list element) as read: the ref word it was published under, and copies of its bytes. */
public final class StoredEntry {
    static final byte[] NO_BYTES = new byte[0];
    static final StoredEntry NO_MATCH = new StoredEntry(0, null, null);

    /** The ref word: a version (a later write of the same key or index has another). */
    public final long ref;
    /** The encoded key (empty for a list element). */
    public final byte[] key;
    /** The encoded value. */
    public final byte[] value;

    StoredEntry(long ref, byte[] key, byte[] value) {
        this.ref = ref;
        this.key = key;
        this.value = value;
    }
}
