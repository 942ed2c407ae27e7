package io.mmipc.cli.read;

/**
 * The few layout constants that ipc-core keeps private to its logic classes, mirrored in this one place.
 * Every other offset the command reads comes from the layout descriptors themselves ({@code HeaderLayout},
 * {@code QueueLayout}, {@code PipeLayout}, the sync layouts). {@code LayoutMirrorTest} compares each value
 * here with the private constant it mirrors, so a layout change fails the build instead of being misread.
 * Delete an entry once ipc-core publishes it in a descriptor.
 */
public final class LayoutMirror {
    /** {@code Registry.RECLAIMING}: top bit of a registry token word, set while the entry is being reclaimed. */
    public static final long REGISTRY_RECLAIMING = 1L << 63;
    /** {@code EventCount.SEQ}: offset of the sequence (the futex word) in an event word. */
    public static final int EVENT_SEQUENCE = 0;
    /** {@code WaiterSlots.SLEEPERS}: offset of the sleepers word in an event word. */
    public static final int EVENT_SLEEPERS = 4;
    /** {@code WaiterSlots.COUNT_MASK}: the bits of the sleepers word that count sleepers (the rest count joins). */
    public static final int SLEEPERS_COUNT_MASK = 0xFFFF;
    /** {@code WaiterSlots.TOKEN}: offset of the waiter's process token in a waiter slot. */
    public static final int WAITER_TOKEN = 0;
    /** {@code WaiterSlots.BELL}: offset of the waiter's doorbell number in a waiter slot. */
    public static final int WAITER_BELL = 8;
    /** {@code WaiterSlots.EVENT}: offset of the slot's event field (the event word's offset and two flags). */
    public static final int WAITER_EVENT = 12;
    /** {@code WaiterSlots.NONE}: the event field of a slot that names no event. */
    public static final int WAITER_NO_EVENT = -1;
    /** {@code WaiterSlots.COUNTED}: event field flag, the waiter is counted in the event's sleepers word. */
    public static final int WAITER_COUNTED = 1;
    /** {@code WaiterSlots.RUNG}: event field flag, a wake-one already rang this waiter's doorbell. */
    public static final int WAITER_RUNG = 2;
    /** {@code WaiterSlots.FUTEX_BELL}: the doorbell number of a waiter that sleeps on the futex instead. */
    public static final int FUTEX_BELL = -1;
    /** {@code QueueLayout.POS_MASK}: slot positions in head and tail words are modulo 2^40. */
    public static final long QUEUE_POS_MASK = (1L << 40) - 1;
    /** {@code QueueLayout.CNT_MASK}: message counts in head and tail words are modulo 2^24. */
    public static final long QUEUE_COUNT_MASK = (1L << 24) - 1;
    /** Bits below the position in a head or tail word ({@code QueueLayout.pos}: {@code word >>> 24}). */
    public static final int QUEUE_POS_SHIFT = 24;
    /** Bit of a queue control word where its state starts ({@code QueueLayout.ctlState}: 2 bits). */
    public static final int CTL_STATE_SHIFT = 22;
    /** Bit of a queue control word where the producer's registry entry starts ({@code QueueLayout.ctlProducer}). */
    public static final int CTL_PRODUCER_SHIFT = 14;
    /** Mask of the producer's registry entry in a control word, after shifting. */
    public static final int CTL_PRODUCER_MASK = 0xFF;

    private LayoutMirror() {
    }

    /**
     * @param word a queue head or tail word
     * @return its slot position
     */
    public static long position(long word) {
        return word >>> QUEUE_POS_SHIFT;
    }

    /**
     * @param ctl a queue control word
     * @return its sequence (the slot position it was last written for, modulo 2^40)
     */
    public static long ctlSequence(long ctl) {
        return ctl >>> QUEUE_POS_SHIFT;
    }

    /**
     * @param ctl a queue control word
     * @return its state ({@code QueueLayout.FREE}, {@code CLAIMED}, {@code PUBLISHED}, {@code PADDING})
     */
    public static int ctlState(long ctl) {
        return (int) (ctl >>> CTL_STATE_SHIFT) & 3;
    }

    /**
     * @param ctl a queue control word
     * @return the registry entry of the producer that claimed it
     */
    public static int ctlProducer(long ctl) {
        return (int) (ctl >>> CTL_PRODUCER_SHIFT) & CTL_PRODUCER_MASK;
    }

    /**
     * @param word a queue head or tail word
     * @return its message count (modulo 2^24)
     */
    public static long count(long word) {
        return word & QUEUE_COUNT_MASK;
    }
}
