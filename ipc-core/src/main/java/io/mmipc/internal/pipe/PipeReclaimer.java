package io.mmipc.internal.pipe;

import io.mmipc.WaitMode;
import io.mmipc.internal.file.HeaderLayout;
import io.mmipc.internal.file.Registry;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.ring.Ring;

/**
 * What a pipe does when a process's registry entry is released. If the process died: under each ring's
 * consumer lock, mark the records it claimed but never published as dead (so a new owner of the entry is not
 * mistaken for their writer), bump the epoch of every end it held, and wake every waiter so readers see
 * end-of-file and writers a broken pipe without waiting for their next periodic check. A process that
 * closed its last handle already did all of that itself.
 */
public final class PipeReclaimer implements Registry.DeadEntryHandler {
    private final WaitMode mode;

    /** @param mode the wait mode to use while taking the consumer locks */
    public PipeReclaimer(WaitMode mode) {
        this.mode = mode;
    }

    @Override
    public void release(MappedMemory memory, int index, long token, boolean died) {
        if (!died) {
            return;
        }
        Ring[] rings = rings(memory, mode);
        for (Ring ring : rings) {
            ring.lockUninterruptibly();
            try {
                ring.resolveClaimsOf(index);
            } finally {
                ring.consumerLock().release();
            }
        }
        for (int end = 0; end < 2; end++) {
            if (memory.getLongVolatile(HeaderLayout.entryCounterOffset(index, PipeLayout.counter(end))) > 0) {
                // getAndAdd is volatile: it orders the sleepers checks of the wake-ups below after it.
                memory.getAndAddLong(PipeLayout.epochOffset(end), 1);
            }
        }
        MappedMemory.fullFence();
        for (Ring ring : rings) {
            ring.notEmpty().signalAll();
            ring.notFull().signalAll();
        }
    }

    /** @return cleanup-only views of the pipe's rings, from the parameters in its header */
    static Ring[] rings(MappedMemory memory, WaitMode mode) {
        long slots = memory.getLong(HeaderLayout.paramOffset(PipeLayout.P_SLOTS));
        int slotSize = (int) memory.getLong(HeaderLayout.paramOffset(PipeLayout.P_SLOT_SIZE));
        boolean duplex = (memory.getLong(HeaderLayout.paramOffset(PipeLayout.P_FLAGS)) & PipeLayout.FLAG_DUPLEX) != 0;
        Ring[] rings = new Ring[PipeLayout.rings(duplex)];
        for (int r = 0; r < rings.length; r++) {
            rings[r] = new Ring(null, memory, PipeLayout.ringBase(r, slots, slotSize), slots, slotSize, 0, false,
                    -1, mode);
        }
        return rings;
    }
}
