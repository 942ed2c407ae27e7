package io.mmipc.internal.file;

/**
 * Descriptor of the header that starts every mmipc file: all offsets in one place.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                  magic "MMIPC-v2" (8 bytes)                   |  0  release-stored last at creation
 *  +---------------------------------------------------------------+
 *  |                         layout version                        |  8
 *  +---------------------------------------------------------------+
 *  |                          object type                          | 12
 *  +---------------------------------------------------------------+
 *  |                      file size (8 bytes)                      | 16
 *  +---------------------------------------------------------------+
 *  |                 creator process token (8 bytes)               | 24
 *  +---------------------------------------------------------------+
 *  |          codec identity hash (8 bytes; 0 = not recorded)      | 32
 *  +---------------------------------------------------------------+
 *  |          codec short name (24 bytes ASCII, zero-padded)       | 40 .. 64
 *  +---------------------------------------------------------------+
 *  |         16 layout parameters, 8 bytes each (type-specific)    | 64 .. 192
 *  +---------------------------------------------------------------+
 *  |      takeovers: locks taken from a dead owner (8 bytes)       | 192  operator counters,
 *  +---------------------------------------------------------------+       see HeaderCounters
 *  |      reclaims: dead processes' registry entries (8 bytes)     | 200
 *  +---------------------------------------------------------------+
 *  |      wake-ups: signals that found sleepers (8 bytes)          | 208
 *  +---------------------------------------------------------------+
 *  |      side-file messages written (8 bytes)                     | 216
 *  +---------------------------------------------------------------+
 *  |      dead producers' claims skipped (8 bytes)                 | 224
 *  +---------------------------------------------------------------+
 *  |                    reserved to 256                            | 232
 *  +---------------------------------------------------------------+
 *  |     process registry: REGISTRY_ENTRIES x 64-byte entries      | 256
 *  +---------------------------------------------------------------+
 *  |     waiter table: WAITER_SLOTS x 16-byte slots                | REGISTRY_END
 *  +---------------------------------------------------------------+
 *  |     body (type-specific), from BODY_OFFSET                    |
 *  +---------------------------------------------------------------+
 *
 *  Registry entry (64 bytes, one cache line):
 *  +---------------------------------------------------------------+
 *  |     process token (see ProcessIdentity; 0 = free), CAS-claimed |  0
 *  +---------------------------------------------------------------+
 *  |     open handles in that process     |   capability flags     |  8, 12
 *  +---------------------------------------------------------------+
 *  |     6 type-specific 8-byte counters (pipe ends, tasks, ...)   | 16 .. 64
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * The magic is written last with a release store, so a reader that sees it (acquire) sees a complete
 * header; creation also publishes the file under its name only once it is complete.
 *
 * <p>The operator counters (192..232) took bytes that were reserved and zero in every file, and no reader
 * checks them, so the layout version and magic stay as they were: a file made before the counters existed
 * reads as zero counts, and an older mmipc ignores them. Each is a 64-bit count that only grows, added to
 * with one atomic add on a rare path only (never per message), so {@code mmipc inspect} and
 * {@code mmipc watch} read them from outside without attaching.
 */
public final class HeaderLayout {
    /** "MMIPC-v2" in ASCII, little-endian: tokens are node-file identities (see ProcessIdentity). */
    public static final long MAGIC = 0x32762D4350494D4DL;
    /** "MMIPC-v1": files of an older mmipc, whose tokens were PID and start time; refused with a clear error. */
    public static final long MAGIC_V1 = 0x31762D4350494D4DL;
    /** Offset of the magic number. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the layout version (int). */
    public static final int VERSION_OFFSET = 8;
    /** Offset of the object type (int). */
    public static final int TYPE_OFFSET = 12;
    /** Offset of the file size (long). */
    public static final int FILE_SIZE_OFFSET = 16;
    /** Offset of the creator's process token (long). */
    public static final int CREATOR_OFFSET = 24;
    /** Offset of the codec identity hash (long; 0 when the creator's codec has no name). */
    public static final int CODEC_HASH_OFFSET = 32;
    /** Offset of the codec's short name (ASCII, zero-padded). */
    public static final int CODEC_NAME_OFFSET = 40;
    /** Bytes of the codec's short name. */
    public static final int CODEC_NAME_LENGTH = 24;
    /** Bytes an opener reads to validate the header: everything before the registry. */
    public static final int HEADER_BYTES = 256;
    /** Offset of the first layout parameter. */
    public static final int PARAMS_OFFSET = 64;
    /** Number of layout parameters. */
    public static final int PARAM_COUNT = 16;

    /** Offset of the counter of locks (any robust lock word in the object) taken over from a dead owner. */
    public static final int COUNTER_TAKEOVERS = 192;
    /** Offset of the counter of registry entries reclaimed from dead processes. */
    public static final int COUNTER_RECLAIMS = 200;
    /** Offset of the counter of signals that found sleepers and woke them through the kernel (futex, doorbell). */
    public static final int COUNTER_WAKEUPS = 208;
    /** Offset of the counter of messages written to side files (too large for the ring). */
    public static final int COUNTER_SIDE_FILE_MESSAGES = 216;
    /** Offset of the counter of records claimed by a producer that died before publishing them, skipped. */
    public static final int COUNTER_CLAIMS_SKIPPED = 224;
    /** Offset of the first operator counter. */
    public static final int COUNTERS_OFFSET = COUNTER_TAKEOVERS;
    /** Number of operator counters. */
    public static final int COUNTER_COUNT = 5;

    /** Offset of the process registry. */
    public static final int REGISTRY_OFFSET = 256;
    /** Number of registry entries: processes that may have one object open at once. */
    public static final int REGISTRY_ENTRIES = 128;
    /** Bytes per registry entry. */
    public static final int ENTRY_SIZE = 64;
    /** Offset in an entry of the process token. */
    public static final int ENTRY_TOKEN = 0;
    /** Offset in an entry of the open-handle count (int). */
    public static final int ENTRY_HANDLES = 8;
    /** Offset in an entry of the capability flags (int). */
    public static final int ENTRY_FLAGS = 12;
    /** Offset in an entry of the first type-specific counter (long). */
    public static final int ENTRY_COUNTERS = 16;
    /** Number of type-specific counters per entry. */
    public static final int ENTRY_COUNTER_COUNT = 6;
    /** Capability flag: the process can wait and wake with a futex. */
    public static final int FLAG_FUTEX = 1;

    /** Offset of the waiter table. */
    public static final int WAITERS_OFFSET = REGISTRY_OFFSET + REGISTRY_ENTRIES * ENTRY_SIZE;
    /** Number of waiter slots: threads that may sleep on one object at once (more fall back to polling). */
    public static final int WAITER_SLOTS = 64;
    /** Bytes per waiter slot. */
    public static final int WAITER_SLOT_SIZE = 16;

    /** Offset in a waiter slot of the sleeper's event-word offset (int; -1 or 0: none); the rest is EventCount's. */
    public static final int WAITER_EVENT = 12;
    /** Bytes of an event word (sequence and sleeper count) that a waiter slot may point at. */
    public static final int EVENT_WORD_SIZE = 8;

    /** Offset of the type-specific body: after the waiter table, on a 128-byte boundary. */
    public static final int BODY_OFFSET = align(WAITERS_OFFSET + WAITER_SLOTS * WAITER_SLOT_SIZE, 128);

    private HeaderLayout() {
    }

    /** @return the offset of layout parameter {@code i} */
    public static int paramOffset(int i) {
        if (i < 0 || i >= PARAM_COUNT) {
            throw new IndexOutOfBoundsException("param index=" + i);
        }
        return PARAMS_OFFSET + 8 * i;
    }

    /** @return the offset of operator counter {@code i} (0 = {@link #COUNTER_TAKEOVERS}, in header order) */
    public static int counterOffset(int i) {
        if (i < 0 || i >= COUNTER_COUNT) {
            throw new IndexOutOfBoundsException("counter index=" + i);
        }
        return COUNTERS_OFFSET + 8 * i;
    }

    /** @return the offset of registry entry {@code index} */
    public static int entryOffset(int index) {
        return REGISTRY_OFFSET + index * ENTRY_SIZE;
    }

    /** @return the offset of type-specific counter {@code i} of registry entry {@code index} */
    public static int entryCounterOffset(int index, int i) {
        if (i < 0 || i >= ENTRY_COUNTER_COUNT) {
            throw new IndexOutOfBoundsException("counter index=" + i);
        }
        return entryOffset(index) + ENTRY_COUNTERS + 8 * i;
    }

    /** @return the offset of waiter slot {@code i} */
    public static int waiterSlotOffset(int i) {
        return WAITERS_OFFSET + i * WAITER_SLOT_SIZE;
    }

    /**
     * Tells whether a value read from a waiter slot's {@link #WAITER_EVENT} field can be used: -1 or 0 (no
     * event), or an 8-aligned offset in the body with a whole event word before the end of the file.
     *
     * @param event    the value read
     * @param fileSize the mapped size
     * @return true if it is one of those
     */
    public static boolean isValidWaiterEvent(long event, long fileSize) {
        if (event == -1 || event == 0) {
            return true;
        }
        // The two low bits carry the waiter slot's COUNTED and RUNG flags (internal/wait/WaiterSlots).
        long offset = event & ~3L;
        return offset >= BODY_OFFSET && (offset & 7) == 0 && offset <= fileSize - EVENT_WORD_SIZE;
    }

    /**
     * Reads waiter slot {@code slot}'s event offset, checked (for EventCount, which must never follow a
     * corrupt offset): a value that {@link #isValidWaiterEvent} refuses reads as -1 (no event).
     *
     * @param memory the object's mapping
     * @param slot   the slot index
     * @return the event word's offset, or -1 / 0 for none
     */
    public static int waiterEvent(io.mmipc.internal.mem.MappedMemory memory, int slot) {
        int event = memory.getIntVolatile(waiterSlotOffset(slot) + WAITER_EVENT);
        return isValidWaiterEvent(event, memory.size()) ? event : -1;
    }

    /** Rounds {@code value} up to a multiple of {@code alignment} (a power of two). */
    public static int align(int value, int alignment) {
        return (value + alignment - 1) & -alignment;
    }

    /** Rounds {@code value} up to a multiple of {@code alignment} (a power of two). */
    public static long align(long value, long alignment) {
        return (value + alignment - 1) & -alignment;
    }
}
