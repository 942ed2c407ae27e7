package io.mmipc.process;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The two files through which a parent and a {@link ChildMain} talk, in the run folder the parent makes
 * (owner-only): {@code task} (what to run, written before the child starts) and {@code result} (the
 * outcome, written by the child with a rename so the parent never reads half a file).
 *
 * <pre>
 * task:   int magic 0x6D6D7054 ("mmpT") | int version | byte mode (1 task, 2 main class) | bool daemon
 *         | long parent PID | int n | n x UTF folder an orphaned daemon child removes | mode 1: int n | n x UTF allowed class | int len | len bytes (serialized task)
 *                           | mode 2: UTF main class | int n | n x UTF argument
 * result: int magic 0x6D6D7052 ("mmpR") | int version | byte status (0 value, 1 exception) | int len | bytes
 *         (status 0: serialized value; status 1: {@link Throwables#encode})
 * </pre>
 */
final class TaskFile {
    static final int TASK_MAGIC = 0x6D6D7054;
    static final int RESULT_MAGIC = 0x6D6D7052;
    static final int VERSION = 1;
    static final byte MODE_TASK = 1;
    static final byte MODE_MAIN = 2;
    static final byte STATUS_VALUE = 0;
    static final byte STATUS_EXCEPTION = 1;
    static final String TASK = "task";
    static final String RESULT = "result";

    /** What a child is to run. */
    record Spec(byte mode, boolean daemon, long parentPid, List<String> orphanCleanup, List<String> allowed,
            byte[] task, String mainClass, List<String> args) {
    }

    /** What a child delivered. */
    record Outcome(byte status, byte[] data) {
    }

    private TaskFile() {
    }

    static void writeTask(Path dir, Spec s) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(TASK_MAGIC);
            out.writeInt(VERSION);
            out.writeByte(s.mode());
            out.writeBoolean(s.daemon());
            out.writeLong(s.parentPid());
            writeStrings(out, s.orphanCleanup());
            if (s.mode() == MODE_TASK) {
                writeStrings(out, s.allowed());
                out.writeInt(s.task().length);
                out.write(s.task());
            } else {
                out.writeUTF(s.mainClass());
                writeStrings(out, s.args());
            }
        }
        Files.write(dir.resolve(TASK), bytes.toByteArray());
    }

    static Spec readTask(Path dir) throws IOException {
        byte[] data = Files.readAllBytes(dir.resolve(TASK));
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            check(in.readInt() == TASK_MAGIC && in.readInt() == VERSION, dir, "not an mmipc task file");
            byte mode = in.readByte();
            boolean daemon = in.readBoolean();
            long parent = in.readLong();
            List<String> cleanup = readStrings(in);
            if (mode == MODE_TASK) {
                List<String> allowed = readStrings(in);
                byte[] task = new byte[in.readInt()];
                in.readFully(task);
                return new Spec(mode, daemon, parent, cleanup, allowed, task, null, List.of());
            }
            check(mode == MODE_MAIN, dir, "unknown task mode=" + mode);
            return new Spec(mode, daemon, parent, cleanup, List.of(), null, in.readUTF(), readStrings(in));
        }
    }

    static void writeOutcome(Path dir, byte status, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(data.length + 16);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(RESULT_MAGIC);
            out.writeInt(VERSION);
            out.writeByte(status);
            out.writeInt(data.length);
            out.write(data);
        }
        Path tmp = dir.resolve(RESULT + ".tmp");
        Files.write(tmp, bytes.toByteArray());
        Files.move(tmp, dir.resolve(RESULT), StandardCopyOption.ATOMIC_MOVE);
    }

    /** @return the outcome, or null if the child wrote none */
    static Outcome readOutcome(Path dir) throws IOException {
        Path f = dir.resolve(RESULT);
        if (!Files.exists(f)) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(f)))) {
            check(in.readInt() == RESULT_MAGIC && in.readInt() == VERSION, dir, "not an mmipc result file");
            byte status = in.readByte();
            byte[] data = new byte[in.readInt()];
            in.readFully(data);
            return new Outcome(status, data);
        }
    }

    private static void writeStrings(DataOutputStream out, Collection<String> values) throws IOException {
        out.writeInt(values.size());
        for (String v : values) {
            out.writeUTF(v);
        }
    }

    private static List<String> readStrings(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(in.readUTF());
        }
        return out;
    }

    private static void check(boolean ok, Path dir, String problem) throws IOException {
        if (!ok) {
            throw new IOException(problem + ": dir=" + dir);
        }
    }
}
