package io.mmipc.internal.wait;

import io.mmipc.internal.file.HeaderLayout;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.proc.ProcessIdentity;

import java.util.function.IntConsumer;

/**
 * Descriptor and protocol of one object's waiter table ({@link HeaderLayout#WAITERS_OFFSET},
 * {@link HeaderLayout#WAITER_SLOTS} slots) and of the sleepers word of an event, which the table backs.
 *
 * <pre>
 *  Waiter slot (16 bytes):
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |   owner token (8 bytes): 0 = free; a sleeper, or a reclaimer   |  +0  CAS-claimed
 *  |   cleaning up after a dead sleeper                            |
 *  +---------------------------------------------------------------+
 *  |   doorbell number of the owner's process, or -1 (futex)       |  +8
 *  +---------------------------------------------------------------+
 *  |   event: NONE (-1), or the event word's offset | RUNG | COUNTED |  +12
 *  +---------------------------------------------------------------+
 *
 *  Sleepers word of an event (the int at event + 4):
 *  +-------------------------------+-------------------------------+
 *  |  joins (bits 16-31, wrapping) |  sleepers counted (bits 0-15) |
 *  +-------------------------------+-------------------------------+
 * </pre>
 *
 * <p>Invariant: a sleeper names its event in its slot <em>before</em> it counts itself and keeps naming it
 * until <em>after</em> it has uncounted itself; a slot is given back (token 0) only with its event cleared.
 * Consequences:
 * <ul>
 *   <li>A reclaimer first takes the dead owner's slot for itself (token CAS), cleans it, and only then frees
 *       it, so a new sleeper can never register in a slot that is still being cleaned (its registration
 *       would be erased: a lost wake-up until its re-check).</li>
 *   <li>The COUNTED bit says the count was certainly taken; whoever CASes it off (the owner leaving, or one
 *       reclaimer) gives the count back, exactly once. A sleeper killed between naming its event and setting
 *       COUNTED may or may not have counted itself: its count is not given back by the reclaimer, but
 *       healed by {@link #healLeakedCount}: a count above zero while no slot names the event is a leak.</li>
 *   <li>Every join also bumps the join counter in the same atomic add, so the heal's compare-and-set fails
 *       if anyone joined or left since the word was read (no ABA short of 65 536 joins in one scan).</li>
 * </ul>
 */
final class WaiterSlots {
    /** Offset in a slot of the owner's process token (long). */
    static final int TOKEN = 0;
    /** Offset in a slot of the doorbell number (int). */
    static final int BELL = 8;
    /** Offset in a slot of the event field (int). */
    static final int EVENT = 12;
    /** Doorbell number of a futex sleeper. */
    static final int FUTEX_BELL = -1;
    /** Event field of a slot that names no event. */
    static final int NONE = -1;
    /** Event field bit: the owner is certainly counted in the named event's sleepers word. */
    static final int COUNTED = 1;
    /**
     * Event field bit: a {@code signalOne} rang this sleeper's doorbell; the next {@code signalOne} wakes another
     * sleeper rather than ringing the same one again before it has left.
     */
    static final int RUNG = 2;
    /** The event offset bits of an event field (event words are 8-aligned: the low bits are flags). */
    private static final int EVENT_MASK = ~(COUNTED | RUNG);

    /** Offset in an event word of the sleepers word. */
    static final int SLEEPERS = 4;
    /** Bits of the sleepers word that hold the count. */
    static final int COUNT_MASK = 0xFFFF;
    /** Added to the sleepers word by a joining sleeper: one more sleeper, one more join. */
    static final int JOIN = 0x1_0001;

    private WaiterSlots() {
    }

    /** @return the number of sleepers counted in a sleepers word */
    static int count(int sleepersWord) {
        return sleepersWord & COUNT_MASK;
    }

    /** @return whether a slot's event field names the event at {@code event} (counted or not) */
    static boolean names(int field, int event) {
        return field >= HeaderLayout.BODY_OFFSET && (field & EVENT_MASK) == event;
    }

    /**
     * Claims a free slot for this process, or failing that, the slot of a dead waiter (cleaned first).
     *
     * @return the slot's offset, or -1 if every slot is held by a live process
     */
    static int claim(MappedMemory memory) {
        long self = ProcessIdentity.self();
        for (int i = 0; i < HeaderLayout.WAITER_SLOTS; i++) {
            int slot = HeaderLayout.waiterSlotOffset(i);
            if (memory.getLongVolatile(slot + TOKEN) == 0 && memory.compareAndSetLong(slot + TOKEN, 0, self)) {
                memory.putIntVolatile(slot + EVENT, NONE);
                return slot;
            }
        }
        for (int i = 0; i < HeaderLayout.WAITER_SLOTS; i++) {
            int slot = HeaderLayout.waiterSlotOffset(i);
            long token = memory.getLongVolatile(slot + TOKEN);
            if (token != 0 && token != self && !ProcessIdentity.isAlive(token) && reclaim(memory, slot, token, true)) {
                return slot;
            }
        }
        return -1;
    }

    /**
     * Names {@code event} in this thread's slot, then counts the thread in the event (in that order: see the
     * class comment). The caller re-checks its condition after this and before sleeping.
     */
    static void join(MappedMemory memory, int slot, int event, int bell) {
        memory.putIntVolatile(slot + BELL, bell);
        // Volatile: the slot names the event before the count can include us (what the heal relies on).
        memory.putIntVolatile(slot + EVENT, event);
        memory.getAndAddInt(event + SLEEPERS, JOIN);
        memory.putIntVolatile(slot + EVENT, event | COUNTED);
    }

    /** Undoes {@link #join} (the count at most once, even racing a reclaimer) and frees the slot. */
    static void leave(MappedMemory memory, int slot) {
        uncount(memory, slot);
        memory.putIntVolatile(slot + EVENT, NONE);
        // Release: the event is cleared before another waiter can take the slot.
        memory.putLongRelease(slot + TOKEN, 0);
    }

    /**
     * Marks a sleeper's slot as rung by a {@code signalOne}, unless another signal did first.
     *
     * @param field the event field as just read (naming the event, not yet rung)
     * @return whether this call marked it
     */
    static boolean markRung(MappedMemory memory, int slot, int field) {
        return (field & RUNG) == 0 && memory.compareAndSetInt(slot + EVENT, field, field | RUNG);
    }

    /** Frees a slot that never joined an event. */
    static void free(MappedMemory memory, int slot) {
        memory.putIntVolatile(slot + EVENT, NONE);
        memory.putLongRelease(slot + TOKEN, 0);
    }

    private static void uncount(MappedMemory memory, int slot) {
        int field = memory.getIntVolatile(slot + EVENT);
        if (field >= HeaderLayout.BODY_OFFSET && (field & COUNTED) != 0 && memory.compareAndSetInt(slot + EVENT, field, field & ~COUNTED)) {
            memory.getAndAddInt((field & EVENT_MASK) + SLEEPERS, -1);
        }
    }

    /**
     * Takes the slot of the dead owner {@code token}, gives back its count if it was certainly counted, clears
     * the slot, and frees it unless {@code keep}. Only the token-CAS winner does any of this.
     *
     * @return whether this call took the slot
     */
    static boolean reclaim(MappedMemory memory, int slot, long token, boolean keep) {
        long self = ProcessIdentity.self();
        if (!memory.compareAndSetLong(slot + TOKEN, token, self)) {
            return false;
        }
        ReclaimHook.afterTake(slot);
        uncount(memory, slot);
        memory.putIntVolatile(slot + EVENT, NONE);
        if (!keep) {
            // Release: the slot is clean before a new sleeper can claim it.
            memory.putLongRelease(slot + TOKEN, 0);
        }
        return true;
    }

    /**
     * Gives back counts of sleepers that died before they could be certainly counted: called by a waker that
     * read {@code sleepersWord} at {@code event} and then found no slot naming the event. The CAS fails if any
     * sleeper joined or left since that read.
     */
    static void healLeakedCount(MappedMemory memory, int event, int sleepersWord) {
        memory.compareAndSetInt(event + SLEEPERS, sleepersWord, sleepersWord & ~COUNT_MASK);
    }

    /** A test seam: runs between a reclaimer taking a dead waiter's slot and cleaning it. */
    static final class ReclaimHook {
        static volatile IntConsumer hook;

        private ReclaimHook() {
        }

        static void afterTake(int slot) {
            IntConsumer h = hook;
            if (h != null) {
                h.accept(slot);
            }
        }
    }
}
