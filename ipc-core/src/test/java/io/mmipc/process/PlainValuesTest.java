package io.mmipc.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The compact form of plain values, and Java serialization for the rest, both through {@link TaskSerializer}. */
@Timeout(30)
class PlainValuesTest {
    @Test
    void plainValuesRoundTripCompactly() throws Exception {
        Object[] v = {null, 1, 2L, 3.5, 4.5f, (short) 5, (byte) 6, 'c', true, "text é", new byte[] {1, 2},
                new Object[] {"nested", 7}};
        TaskSerializer.Written w = TaskSerializer.write(v);
        assertEquals(PlainValues.MARK, w.bytes()[0]);
        Object[] back = (Object[]) TaskSerializer.read(w.bytes(), AllowList.of(List.of()), new ArrayList<>());
        assertEquals(Arrays.asList(v).subList(0, 10), Arrays.asList(back).subList(0, 10));
        assertArrayEquals(new byte[] {1, 2}, (byte[]) back[10]);
        assertArrayEquals(new Object[] {"nested", 7}, (Object[]) back[11]);
    }

    @Test
    void otherValuesTakeJavaSerialization() throws Exception {
        assertNull(PlainValues.encode(new Object[] {new ArrayList<>(List.of(1))}));
        TaskSerializer.Written w = TaskSerializer.write(new ArrayList<>(List.of(1, 2)));
        assertEquals((byte) 0xAC, w.bytes()[0]);
        assertEquals(List.of(1, 2), TaskSerializer.read(w.bytes(), AllowList.of(List.of()), new ArrayList<>()));
    }

    @Test
    void truncatedOrCorruptDataIsAnIoExceptionNotACrash() throws Exception {
        byte[] ok = PlainValues.encode(new Object[] {"abc", 1L});
        for (int cut = 1; cut < ok.length; cut++) {
            assertThrows(IOException.class, decodeOf(Arrays.copyOf(ok, cut))::run);
        }
        byte[] badTag = ok.clone();
        badTag[1] = 99;
        assertThrows(IOException.class, decodeOf(badTag)::run);
        byte[] hugeLength = {PlainValues.MARK, 11, 0x7f, 0, 0, 0};
        assertThrows(IOException.class, decodeOf(hugeLength)::run);
    }

    private interface Call {
        void run() throws Exception;
    }

    private static Call decodeOf(byte[] data) {
        return () -> PlainValues.decode(data);
    }
}
