package io.mmipc.cli.read;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every constant {@link LayoutMirror} copies from ipc-core equals the private original, so a layout change
 * there fails this test instead of making the command misread files.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LayoutMirrorTest {
    private static Object constant(String className, String field) throws Exception {
        Field f = Class.forName(className).getDeclaredField(field);
        f.setAccessible(true);
        return f.get(null);
    }

    @Test
    void registryReclaimBitMatchesRegistry() throws Exception {
        assertEquals(LayoutMirror.REGISTRY_RECLAIMING, constant("io.mmipc.internal.file.Registry", "RECLAIMING"));
    }

    @Test
    void eventWordAndWaiterSlotMatchEventCount() throws Exception {
        assertEquals(LayoutMirror.EVENT_SEQUENCE, constant("io.mmipc.internal.wait.EventCount", "SEQ"));
        String ws = "io.mmipc.internal.wait.WaiterSlots";
        assertEquals(LayoutMirror.EVENT_SLEEPERS, constant(ws, "SLEEPERS"));
        assertEquals(LayoutMirror.SLEEPERS_COUNT_MASK, constant(ws, "COUNT_MASK"));
        assertEquals(LayoutMirror.WAITER_TOKEN, constant(ws, "TOKEN"));
        assertEquals(LayoutMirror.WAITER_BELL, constant(ws, "BELL"));
        assertEquals(LayoutMirror.WAITER_EVENT, constant(ws, "EVENT"));
        assertEquals(LayoutMirror.WAITER_EVENT, io.mmipc.internal.file.HeaderLayout.WAITER_EVENT);
        assertEquals(LayoutMirror.WAITER_NO_EVENT, constant(ws, "NONE"));
        assertEquals(LayoutMirror.WAITER_COUNTED, constant(ws, "COUNTED"));
        assertEquals(LayoutMirror.WAITER_RUNG, constant(ws, "RUNG"));
        assertEquals(LayoutMirror.FUTEX_BELL, constant(ws, "FUTEX_BELL"));
    }

    @Test
    void queueWordsMatchQueueLayout() throws Exception {
        String ql = "io.mmipc.internal.ring.QueueLayout";
        assertEquals(LayoutMirror.QUEUE_POS_MASK, constant(ql, "POS_MASK"));
        assertEquals(LayoutMirror.QUEUE_COUNT_MASK, constant(ql, "CNT_MASK"));
        Method word = Class.forName(ql).getDeclaredMethod("word", long.class, long.class);
        word.setAccessible(true);
        long w = (long) word.invoke(null, 0x12_3456_789AL, 0xABCDEL);
        assertEquals(0x12_3456_789AL, LayoutMirror.position(w));
        assertEquals(0xABCDEL, LayoutMirror.count(w));
    }

    @Test
    void controlWordsMatchQueueLayout() throws Exception {
        Method ctl = Class.forName("io.mmipc.internal.ring.QueueLayout")
                .getDeclaredMethod("ctl", long.class, int.class, int.class, int.class);
        ctl.setAccessible(true);
        long c = (long) ctl.invoke(null, 0xAB_CDEF_0123L, 2, 0xA5, 0x1234);
        assertEquals(0xAB_CDEF_0123L, LayoutMirror.ctlSequence(c));
        assertEquals(2, LayoutMirror.ctlState(c));
        assertEquals(0xA5, LayoutMirror.ctlProducer(c));
        assertEquals(0x1234, (int) c & io.mmipc.internal.ring.QueueLayout.MAX_SPAN);
    }
}
