package io.mmipc.internal.pipe;

import io.mmipc.ObjectFileException;
import io.mmipc.WaitMode;
import io.mmipc.internal.file.HeaderLayout;
import io.mmipc.internal.file.Registry;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.ring.QueueLayout;
import io.mmipc.internal.ring.Ring;
import io.mmipc.internal.ring.Spill;

import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * What a pipe does when a process's registry entry is released. If the process died: under each ring's
 * consumer lock, mark the records it claimed but never published as dead (so a new owner of the entry is not
 * mistaken for their writer), bump the epoch of every end it held, and wake every waiter so readers see
 * end-of-file and writers a broken pipe without waiting for their next periodic check. A process that
 * closed its last handle already did all of that itself.
 */
public final class PipeReclaimer implements Registry.DeadEntryHandler {
    private final WaitMode mode;
    private final Path file;

    /**
     * @param mode the wait mode to use while taking the consumer locks
     * @param file the pipe's file, by name (its side files are deleted with the last handle once the name
     *             no longer leads to this instance); null to leave side files alone
     */
    public PipeReclaimer(WaitMode mode, Path file) {
        this.mode = mode;
        this.file = file;
    }

    @Override
    public void release(MappedMemory memory, int index, long token, boolean died) {
        if (died) {
            releaseDead(memory, index, token);
        }
        if (Registry.countLive(memory, i -> i != index) == 0) {
            int at = PipeLayout.RING_0 + QueueLayout.INSTANCE;
            Spill.releaseIfUnlinked(file, memory.getLong(at), at);
        }
    }

    private void releaseDead(MappedMemory memory, int index, long token) {
        Ring[] rings = rings(memory, mode, file);
        for (Ring ring : rings) {
            ring.lockUninterruptibly();
            try {
                ring.resolveClaimsOf(index, token);
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
    static Ring[] rings(MappedMemory memory, WaitMode mode, Path file) {
        long slots = memory.getLong(HeaderLayout.paramOffset(PipeLayout.P_SLOTS));
        long size = memory.getLong(HeaderLayout.paramOffset(PipeLayout.P_SLOT_SIZE));
        boolean duplex = (memory.getLong(HeaderLayout.paramOffset(PipeLayout.P_FLAGS)) & PipeLayout.FLAG_DUPLEX) != 0;
        // Checked first: a pipe's open reclaims dead entries before it validates the header itself.
        String problem = PipeLayout.checkRing(slots, size);
        if (problem == null && memory.size() != PipeLayout.fileSize(slots, size, duplex)) {
            problem = "size does not match slots=" + slots + ", slotSize=" + size + ", duplex=" + duplex;
        }
        if (problem != null) {
            throw new UncheckedIOException(new ObjectFileException(file, "corrupt pipe header: " + problem));
        }
        int slotSize = (int) size;
        Ring[] rings = new Ring[PipeLayout.rings(duplex)];
        for (int r = 0; r < rings.length; r++) {
            rings[r] = new Ring(null, memory, PipeLayout.ringBase(r, slots, slotSize), slots, slotSize, 0, false,
                    -1, mode, Ring.cleanupLabel("pipe", file));
        }
        return rings;
    }
}
