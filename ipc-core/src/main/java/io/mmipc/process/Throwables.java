package io.mmipc.process;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Carries an exception from a child to its parent without Java serialization: class name, message, stack
 * trace and causes (at most {@value #MAX_CAUSES} deep) as plain data, decoded as a {@link RemoteTaskException}.
 * Nothing in the child's exception is instantiated in the parent, so no allow-list is needed for it.
 */
final class Throwables {
    private static final int MAX_CAUSES = 16;
    private static final int MAX_FRAMES = 1024;

    private Throwables() {
    }

    /** @return {@code t} and its causes as bytes */
    static byte[] encode(Throwable t) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            int depth = 0;
            for (Throwable c = t; c != null && depth < MAX_CAUSES; c = c.getCause() == c ? null : c.getCause()) {
                depth++;
            }
            out.writeInt(depth);
            Throwable c = t;
            for (int i = 0; i < depth; i++, c = c.getCause()) {
                out.writeUTF(c.getClass().getName());
                writeNullable(out, c.getMessage());
                StackTraceElement[] frames = c.getStackTrace();
                int n = Math.min(frames.length, MAX_FRAMES);
                out.writeInt(n);
                for (int f = 0; f < n; f++) {
                    out.writeUTF(frames[f].getClassName());
                    out.writeUTF(frames[f].getMethodName());
                    writeNullable(out, frames[f].getFileName());
                    out.writeInt(frames[f].getLineNumber());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array stream does not fail
        }
        return bytes.toByteArray();
    }

    /**
     * @param data what {@link #encode} made in process {@code pid}
     * @param pid  the process it came from
     * @return the exception chain as {@link RemoteTaskException}s
     * @throws IOException if the data is malformed
     */
    static RemoteTaskException decode(byte[] data, long pid) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int depth = in.readInt();
            if (depth < 1 || depth > MAX_CAUSES) {
                throw new IOException("malformed remote exception: depth=" + depth);
            }
            RemoteTaskException first = null;
            RemoteTaskException last = null;
            for (int i = 0; i < depth; i++) {
                RemoteTaskException e = new RemoteTaskException(in.readUTF(), readNullable(in), pid);
                int n = in.readInt();
                if (n < 0 || n > MAX_FRAMES) {
                    throw new IOException("malformed remote exception: frames=" + n);
                }
                StackTraceElement[] frames = new StackTraceElement[n];
                for (int f = 0; f < n; f++) {
                    frames[f] = new StackTraceElement(in.readUTF(), in.readUTF(), readNullable(in), in.readInt());
                }
                e.setStackTrace(frames);
                if (last == null) {
                    first = e;
                } else {
                    last.initCause(e);
                }
                last = e;
            }
            return first;
        }
    }

    private static void writeNullable(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s.length() > 16_000 ? s.substring(0, 16_000) : s);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
