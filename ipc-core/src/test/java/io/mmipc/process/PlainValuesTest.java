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
    void theFormIsPinnedByteForByte() throws Exception {
        // Parents and workers of different builds may meet (a pool's workers run the parent's class path, but a
        // descriptor or a recorded task may outlive it): the layout in the class comment is the contract.
        Object[] v = {null, -2, 1L << 40, 1.0, 2.0f, (short) -3, (byte) 4, 'é', false, "é", new byte[] {9},
                new Object[] {}};
        byte[] expected = {'P', 11, 0, 0, 0, 12,
                0,
                1, -1, -1, -1, -2,
                2, 0, 0, 1, 0, 0, 0, 0, 0,
                3, 0x3f, (byte) 0xf0, 0, 0, 0, 0, 0, 0,
                4, 0x40, 0, 0, 0,
                5, -1, -3,
                6, 4,
                7, 0, (byte) 0xe9,
                8, 0,
                9, 0, 0, 0, 2, (byte) 0xc3, (byte) 0xa9,
                10, 0, 0, 0, 1, 9,
                11, 0, 0, 0, 0};
        assertArrayEquals(expected, PlainValues.encode(v));
        Object[] back = (Object[]) PlainValues.decode(expected);
        assertEquals(Arrays.asList(v).subList(0, 10), Arrays.asList(back).subList(0, 10));
        assertArrayEquals(new byte[] {9}, (byte[]) back[10]);
        assertArrayEquals(new Object[] {}, (Object[]) back[11]);
    }

    @Test
    void aPoolChunkOfManyValuesRoundTrips() throws Exception {
        Object[] chunk = new Object[10_000];
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = i % 4 == 0 ? (Object) ("item-" + i) : i % 4 == 1 ? (Object) (long) i : i % 4 == 2 ? i : null;
        }
        assertArrayEquals(chunk, (Object[]) PlainValues.decode(PlainValues.encode(chunk)));
    }

    @Test
    void nestingDeeperThanTheLimitIsNotPlainAndIsRefusedWhenRead() throws Exception {
        Object deep = "leaf";
        for (int i = 0; i < 8; i++) {
            deep = new Object[] {deep};
        }
        assertArrayEquals(new Object[] {new Object[] {new Object[] {new Object[] {new Object[] {new Object[] {
                new Object[] {new Object[] {"leaf"}}}}}}}}, (Object[]) PlainValues.decode(PlainValues.encode(deep)));
        assertNull(PlainValues.encode(new Object[] {deep}));
        byte[] nine = new byte[1 + 9 * 5 + 1];
        nine[0] = PlainValues.MARK;
        for (int i = 0; i < 9; i++) {
            nine[1 + i * 5] = 11;
            nine[1 + i * 5 + 4] = 1;
        }
        assertThrows(IOException.class, decodeOf(nine)::run);
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
