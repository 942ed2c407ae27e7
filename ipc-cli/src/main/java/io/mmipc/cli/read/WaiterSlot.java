package io.mmipc.cli.read;

import io.mmipc.internal.file.HeaderLayout;
import io.mmipc.internal.proc.ProcessIdentity;

import java.util.ArrayList;
import java.util.List;

/**
 * One used slot of an object's waiter table: a thread that is sleeping, or about to, on one of the object's
 * event words (see {@code HeaderLayout} and {@code EventCount}).
 *
 * @param index the slot's index
 * @param token the sleeper's process token
 * @param alive whether that process is alive
 * @param bell  its doorbell number, or {@link LayoutMirror#FUTEX_BELL} when it sleeps on the futex
 * @param event the offset of the event word it waits on, or -1
 * @param flags the event field's flags: {@link LayoutMirror#WAITER_COUNTED}, {@link LayoutMirror#WAITER_RUNG}
 */
public record WaiterSlot(int index, long token, boolean alive, int bell, int event, int flags) {

    /**
     * Reads every used slot.
     *
     * @param file the file
     * @return the used slots, in index order
     */
    public static List<WaiterSlot> readAll(ObjectFile file) {
        List<WaiterSlot> slots = new ArrayList<>();
        for (int i = 0; i < HeaderLayout.WAITER_SLOTS; i++) {
            int at = HeaderLayout.waiterSlotOffset(i);
            long token = file.getLong(at + LayoutMirror.WAITER_TOKEN);
            if (token == 0) {
                continue;
            }
            int field = file.getInt(at + LayoutMirror.WAITER_EVENT);
            int flagBits = LayoutMirror.WAITER_COUNTED | LayoutMirror.WAITER_RUNG;
            boolean none = field == LayoutMirror.WAITER_NO_EVENT;
            slots.add(new WaiterSlot(i, token, file.isAlive(token), file.getInt(at + LayoutMirror.WAITER_BELL),
                    none ? -1 : field & ~flagBits, none ? 0 : field & flagBits));
        }
        return slots;
    }

    /**
     * @param eventName the name of the event word the sleeper waits on, or null if unknown
     * @return the slot's fields, for {@code mmipc inspect}
     */
    public Fields fields(String eventName) {
        return new Fields().add("slot", index).add("pid", ProcessIdentity.pid(token)).add("alive", alive)
                .add("wakeBy", bell == LayoutMirror.FUTEX_BELL ? "futex" : "doorbell " + bell)
                .add("event", event < 0 ? null : eventName != null ? eventName : "offset " + event)
                .add("counted", (flags & LayoutMirror.WAITER_COUNTED) != 0)
                .add("rung", (flags & LayoutMirror.WAITER_RUNG) != 0);
    }
}
