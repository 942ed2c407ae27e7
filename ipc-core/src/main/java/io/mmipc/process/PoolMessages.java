package io.mmipc.process;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The two messages of a {@link SharedPool}, both carried as byte arrays through mmipc queues.
 *
 * <pre>
 * task (parent to one worker's queue):
 *   long batch id | long function id | int n | n x UTF class name the worker has not been sent yet
 *   | int function length (0: the worker has it already) | function bytes | int items length | items bytes
 *   (items: a serialized Object[] of the batch's arguments; function: a serialized RemoteFunction)
 *
 * result (a worker to the shared result queue):
 *   long batch id ({@link #READY} when a worker has started, {@link #WARM} when its wake-ups are loaded)
 *   | byte status | long worker PID | int length | bytes
 *   (status {@link #VALUES}: a serialized Object[] of results in item order; {@link #ERROR}: {@link Throwables#encode})
 * </pre>
 */
final class PoolMessages {
    /** Batch id of the message a worker sends once its initializer has run. */
    static final long READY = -1;
    /**
     * Batch id of the message a worker sends once its wake-up machinery is loaded ({@code WakeWarmup}): until
     * then the parent polls for its results rather than sleeping, so that its puts need not ring.
     */
    static final long WARM = -2;
    static final byte VALUES = 0;
    static final byte ERROR = 1;

    private PoolMessages() {
    }

    /** A decoded task message. */
    record Task(long batchId, long fnId, List<String> newClasses, byte[] fn, byte[] items) {
    }

    /** A decoded result message. */
    record Result(long batchId, byte status, long pid, byte[] data) {
    }

    static byte[] task(long batchId, long fnId, Collection<String> newClasses, byte[] fn, byte[] items) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(items.length + (fn == null ? 64 : fn.length + 64));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(batchId);
            out.writeLong(fnId);
            out.writeInt(newClasses.size());
            for (String c : newClasses) {
                out.writeUTF(c);
            }
            writeBytes(out, fn);
            writeBytes(out, items);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array stream does not fail
        }
        return bytes.toByteArray();
    }

    static Task readTask(byte[] msg) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(msg))) {
            long batch = in.readLong();
            long fnId = in.readLong();
            int n = in.readInt();
            List<String> classes = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                classes.add(in.readUTF());
            }
            return new Task(batch, fnId, classes, readBytes(in), readBytes(in));
        }
    }

    /** @return the batch id of a task message, without decoding the rest */
    static long batchIdOf(byte[] taskMessage) {
        long id = 0;
        for (int i = 0; i < 8; i++) {
            id = (id << 8) | (taskMessage[i] & 0xFF);
        }
        return id;
    }

    static byte[] result(long batchId, byte status, long pid, byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(data.length + 32);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(batchId);
            out.writeByte(status);
            out.writeLong(pid);
            writeBytes(out, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Result readResult(byte[] msg) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(msg))) {
            return new Result(in.readLong(), in.readByte(), in.readLong(), readBytes(in));
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b == null ? 0 : b.length);
        if (b != null) {
            out.write(b);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("malformed pool message: length=" + n);
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }
}
