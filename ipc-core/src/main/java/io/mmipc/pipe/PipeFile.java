package io.mmipc.pipe;

import io.mmipc.WaitMode;
import io.mmipc.internal.file.HeaderLayout;
import io.mmipc.internal.file.SharedFile;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.pipe.EndWatch;
import io.mmipc.internal.pipe.PipeLayout;
import io.mmipc.internal.ring.QueueLayout;
import io.mmipc.internal.ring.Ring;
import io.mmipc.internal.ring.Spill;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One open mapping of a pipe file, shared by the connections made from it (both ends of a created pair
 * share one), with the rings, spill files and end watches built from its header. The mapping is closed
 * when the last of those connections leaves.
 */
final class PipeFile {
    final SharedFile file;
    final MappedMemory memory;
    final boolean duplex;
    private final Ring[] rings;
    private final Spill[] spills;
    private final EndWatch[] watches;
    private final AtomicInteger users;

    /**
     * @param file  the validated pipe file
     * @param mode  the resolved wait mode
     * @param users the number of connections that will share it (each calls {@link #leave} once)
     */
    PipeFile(SharedFile file, WaitMode mode, int users) {
        this.file = file;
        this.memory = file.memory();
        this.duplex = (file.param(PipeLayout.P_FLAGS) & PipeLayout.FLAG_DUPLEX) != 0;
        long slots = file.param(PipeLayout.P_SLOTS);
        int slotSize = (int) file.param(PipeLayout.P_SLOT_SIZE);
        this.rings = new Ring[PipeLayout.rings(duplex)];
        this.spills = new Spill[rings.length];
        for (int r = 0; r < rings.length; r++) {
            rings[r] = new Ring(file, memory, PipeLayout.ringBase(r, slots, slotSize), slots, slotSize, 0, false,
                    file.entry(), mode, file.label());
            spills[r] = new Spill(file.path(), rings[r]);
        }
        this.watches = new EndWatch[] {new EndWatch(memory, 0), new EndWatch(memory, 1)};
        this.users = new AtomicInteger(users);
    }

    /** Writes a new pipe's body: empty rings, ring 1's spill ids in their own range, no end opened. */
    static void initialise(MappedMemory memory, long slots, long slotSize, boolean duplex) {
        for (int r = 0; r < PipeLayout.rings(duplex); r++) {
            int base = PipeLayout.ringBase(r, slots, slotSize);
            Ring.initialise(memory, base, slots);
            memory.putLong(base + QueueLayout.SPILL_SEQ, r * PipeLayout.RING_1_SPILL_BASE);
            // One instance for the whole pipe, so its side files go together.
            memory.putLong(base + QueueLayout.INSTANCE, memory.getLong(PipeLayout.RING_0 + QueueLayout.INSTANCE));
        }
    }

    /** @return the ring end {@code e} receives from, or null if it is send-only */
    Ring ringReadBy(PipeEnd e) {
        return e.index() < rings.length ? rings[e.index()] : null;
    }

    /** @return the spill files of the ring end {@code e} receives from */
    Spill spillReadBy(PipeEnd e) {
        return spills[e.index()];
    }

    /** @return the watch that tells whether any live process holds end {@code e} */
    EndWatch watch(PipeEnd e) {
        return watches[e.index()];
    }

    /** Counts one more handle of this process on end {@code e}. */
    void join(PipeEnd e) {
        memory.getAndAddLong(HeaderLayout.entryCounterOffset(file.entry(), PipeLayout.counter(e.index())), 1);
        // Volatile, after the count: whoever sees the end opened also sees a holder (until it closes).
        memory.putLongVolatile(PipeLayout.openedOffset(e.index()), 1);
        memory.getAndAddLong(PipeLayout.epochOffset(e.index()), 1);
    }

    /**
     * Drops this process's handle on end {@code e}, wakes every waiter (readers of the other end may now be
     * at end-of-file, its writers at a broken pipe), and closes the mapping if no connection uses it.
     */
    void leave(PipeEnd e) {
        // getAndAdd is volatile: every message this handle published is visible before the count drops.
        memory.getAndAddLong(HeaderLayout.entryCounterOffset(file.entry(), PipeLayout.counter(e.index())), -1);
        memory.getAndAddLong(PipeLayout.epochOffset(e.index()), 1);
        wakeAll();
        if (users.decrementAndGet() == 0) {
            file.close();
        }
    }

    /** Wakes every thread, in any process, that sleeps on either ring. */
    void wakeAll() {
        for (Ring ring : rings) {
            ring.wakeAll();
        }
    }

    /** @return how messages name the pipe, e.g. {@code pipe 'p'} */
    String label() {
        return file.label();
    }
}
