package io.mmipc.internal.sync;

import io.mmipc.WaitMode;
import io.mmipc.internal.file.HeaderLayout;
import io.mmipc.internal.file.Registry;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.wait.EventCount;

/**
 * Gives back the permits a process held when its registry entry is released (it died, or closed its last
 * handle), if the semaphore was created with {@link SemaphoreLayout#FLAG_RECLAIM}. Idempotent: the HELD
 * counter is swapped to 0 before the permits are added, so a reclaimer that dies half-way loses them rather
 * than returning them twice.
 */
public final class SemaphoreReclaimer implements Registry.DeadEntryHandler {
    private final WaitMode mode;

    /** @param mode the wait mode used to wake waiters */
    public SemaphoreReclaimer(WaitMode mode) {
        this.mode = mode;
    }

    @Override
    public void release(MappedMemory memory, int index, long token, boolean died) {
        if ((memory.getLong(HeaderLayout.paramOffset(SemaphoreLayout.P_FLAGS)) & SemaphoreLayout.FLAG_RECLAIM) == 0) {
            return;
        }
        int held = SemaphoreLayout.held(index);
        long n;
        do {
            n = memory.getLongVolatile(held);
            if (n <= 0) {
                return;
            }
        } while (!memory.compareAndSetLong(held, n, 0));
        long bound = memory.getLong(HeaderLayout.paramOffset(SemaphoreLayout.P_BOUND));
        long cap = bound == SemaphoreLayout.UNBOUNDED ? SemaphoreLayout.MAX_VALUE : bound;
        long v;
        long next;
        do {
            v = memory.getLongVolatile(SemaphoreLayout.VALUE);
            next = Math.min(cap, v + n);
        } while (!memory.compareAndSetLong(SemaphoreLayout.VALUE, v, next));
        memory.getAndAddLong(SemaphoreLayout.RETURNED, next - v);
        // The CAS above was volatile: the sleepers check in signalAll cannot move before it.
        new EventCount(memory, SemaphoreLayout.RELEASED_EVENT, mode).signalAll();
    }
}
