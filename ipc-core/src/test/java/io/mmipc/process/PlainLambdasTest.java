package io.mmipc.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InvalidClassException;
import java.io.InvalidObjectException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Lambdas with plain captured values, and a pool worker's own task, cross without Java serialization. */
@Timeout(30)
class PlainLambdasTest {
    private static final String ME = PlainLambdasTest.class.getName();

    private static AllowList allowingMe() {
        return AllowList.of(List.of(ME));
    }

    @Test
    @SuppressWarnings("unchecked")
    void lambdasWithPlainCapturesRoundTrip() throws Exception {
        int k = 41;
        String prefix = "n=";
        RemoteFunction<Integer, String> f = x -> prefix + (x + k);
        TaskSerializer.Written w = TaskSerializer.write(f);
        assertEquals(PlainLambdas.MARK, w.bytes()[0], "the plain lambda form");
        assertEquals(Set.of(ME), w.classes(), "the capturing class is what the receiver must allow");
        RemoteFunction<Integer, String> back = (RemoteFunction<Integer, String>) TaskSerializer.read(w.bytes(),
                allowingMe(), new ArrayList<>());
        assertEquals("n=42", back.apply(1));
        RemoteFunction<Integer, Integer> inc = x -> x + 1;
        Object incBack = TaskSerializer.read(TaskSerializer.write(inc).bytes(), allowingMe(), new ArrayList<>());
        assertEquals(3, ((RemoteFunction<Integer, Integer>) incBack).apply(2));
    }

    @Test
    void aCapturedObjectGoesThroughJavaSerialization() throws Exception {
        ArrayList<String> list = new ArrayList<>(List.of("a"));
        RemoteFunction<Integer, Integer> f = x -> x + list.size();
        assertNull(PlainLambdas.encode(f));
        assertEquals((byte) 0xAC, TaskSerializer.write(f).bytes()[0], "Java serialization's stream magic");
        assertNull(PlainLambdas.encode("not a lambda"));
    }

    @Test
    void theAllowListDecidesAsForJavaSerialization() throws Exception {
        RemoteFunction<Integer, Integer> f = x -> x * 2;
        byte[] bytes = TaskSerializer.write(f).bytes();
        InvalidClassException refused = assertThrows(InvalidClassException.class,
                () -> TaskSerializer.read(bytes, AllowList.of(List.of()), new ArrayList<>()));
        assertTrue(refused.getMessage().contains(ME), refused.getMessage());
    }

    @Test
    void aTamperedLambdaIsRefusedByItsCapturingClass() throws Exception {
        RemoteFunction<Integer, Integer> f = x -> x * 3;
        Object[] fields = (Object[]) PlainValues.decode(TaskSerializer.write(f).bytes(), PlainLambdas.MARK);
        fields[6] = "notTheImplementation";
        byte[] tampered = PlainValues.encode(fields, PlainLambdas.MARK);
        InvalidObjectException e = assertThrows(InvalidObjectException.class,
                () -> PlainLambdas.decode(tampered, allowingMe()));
        assertTrue(e.getMessage().contains(ME), e.getMessage());
        byte[] truncated = Arrays.copyOf(tampered, tampered.length / 2);
        assertThrows(java.io.IOException.class, () -> PlainLambdas.decode(truncated, allowingMe()));
    }

    @Test
    void aWorkersTaskIsPlainUnlessItsInitializerIsNot() throws Exception {
        Path q = Path.of("/dev/shm/q");
        WorkerLoop bare = new WorkerLoop(q, Path.of("/dev/shm/r"), null, 7);
        byte[] plain = TaskSerializer.write(bare).bytes();
        assertEquals(WorkerLoop.MARK, plain[0]);
        Object back = TaskSerializer.read(plain, AllowList.of(List.of()), new ArrayList<>());
        assertArrayEquals(plain, ((WorkerLoop) back).plain().bytes(), "the same task after a round trip");

        int n = 3;
        WorkerLoop withInit = new WorkerLoop(q, q, () -> System.setProperty("plain-lambdas-test", "" + n), 0);
        TaskSerializer.Written w = TaskSerializer.write(withInit);
        assertEquals(WorkerLoop.MARK, w.bytes()[0]);
        assertEquals(Set.of(ME), w.classes());
        assertArrayEquals(w.bytes(), ((WorkerLoop) TaskSerializer.read(w.bytes(), allowingMe(), new ArrayList<>()))
                .plain().bytes());

        List<String> captured = new ArrayList<>();
        WorkerLoop opaque = new WorkerLoop(q, q, () -> captured.add("x"), 0);
        assertNull(opaque.plain());
        assertEquals((byte) 0xAC, TaskSerializer.write(opaque).bytes()[0]);
    }
}
