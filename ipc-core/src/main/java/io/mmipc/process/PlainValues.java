package io.mmipc.process;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A compact form for the values tiny tasks pass most (null, strings, boxed primitives, byte arrays, and
 * {@code Object[]} of those, nested up to {@value #MAX_DEPTH} deep), written without Java serialization: a
 * pool's items and results are mostly these, and an {@code ObjectOutputStream} costs microseconds and a
 * hundred bytes of class descriptors per message. Nothing is instantiated but these fixed types, so no
 * allow-list is involved. Anything else goes through {@link TaskSerializer}'s Java serialization; the first
 * byte tells the two apart (Java serialization starts with {@code 0xAC}).
 *
 * <pre>
 * 'P' | value;  value = tag byte | payload:
 *   0 null | 1 int | 2 long | 3 double | 4 float | 5 short | 6 byte | 7 char | 8 boolean (1 byte)
 *   | 9 String (int length, UTF-8) | 10 byte[] (int length, bytes) | 11 Object[] (int length, values)
 * </pre>
 */
final class PlainValues {
    /** First byte of the compact form. */
    static final byte MARK = 'P';
    private static final int MAX_DEPTH = 8;
    private static final int MAX_LENGTH = 1 << 28;

    private PlainValues() {
    }

    /** @return the compact form of {@code value}, or null if it holds anything else */
    static byte[] encode(Object value) {
        return encode(value, MARK);
    }

    /**
     * @param mark the first byte (another form built on this one: see {@link PlainLambdas})
     * @return the compact form of {@code value} after {@code mark}, or null if it holds anything else
     */
    static byte[] encode(Object value, byte mark) {
        if (!isPlain(value, 0)) {
            return null;
        }
        Out out = new Out();
        out.put(mark);
        write(out, value);
        return out.toArray();
    }

    /** A growing byte buffer (a ByteArrayOutputStream synchronizes every byte; this does not). */
    private static final class Out {
        private ByteBuffer buf = ByteBuffer.allocate(64);

        Out room(int n) {
            if (buf.remaining() < n) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n));
                bigger.put(buf.flip());
                buf = bigger;
            }
            return this;
        }

        void put(byte b) {
            room(1).buf.put(b);
        }

        ByteBuffer buf(int n) {
            return room(n).buf;
        }

        byte[] toArray() {
            return Arrays.copyOf(buf.array(), buf.position());
        }
    }

    private static boolean isPlain(Object v, int depth) {
        if (v == null || v instanceof String || v instanceof Integer || v instanceof Long || v instanceof Double
                || v instanceof Float || v instanceof Short || v instanceof Byte || v instanceof Character
                || v instanceof Boolean || v instanceof byte[]) {
            return true;
        }
        if (v.getClass() != Object[].class || depth >= MAX_DEPTH) {
            return false;
        }
        for (Object e : (Object[]) v) {
            if (!isPlain(e, depth + 1)) {
                return false;
            }
        }
        return true;
    }

    private static void write(Out out, Object v) {
        if (v == null) {
            out.put((byte) 0);
        } else if (v instanceof Integer) {
            out.buf(5).put((byte) 1).putInt((Integer) v);
        } else if (v instanceof Long) {
            out.buf(9).put((byte) 2).putLong((Long) v);
        } else if (v instanceof Double) {
            out.buf(9).put((byte) 3).putDouble((Double) v);
        } else if (v instanceof Float) {
            out.buf(5).put((byte) 4).putFloat((Float) v);
        } else if (v instanceof Short) {
            out.buf(3).put((byte) 5).putShort((Short) v);
        } else if (v instanceof Byte) {
            out.buf(2).put((byte) 6).put((Byte) v);
        } else if (v instanceof Character) {
            out.buf(3).put((byte) 7).putChar((Character) v);
        } else if (v instanceof Boolean) {
            out.buf(2).put((byte) 8).put((byte) ((Boolean) v ? 1 : 0));
        } else if (v instanceof String) {
            byte[] s = ((String) v).getBytes(StandardCharsets.UTF_8);
            out.buf(5 + s.length).put((byte) 9).putInt(s.length).put(s);
        } else if (v instanceof byte[]) {
            byte[] b = (byte[]) v;
            out.buf(5 + b.length).put((byte) 10).putInt(b.length).put(b);
        } else {
            Object[] a = (Object[]) v;
            out.buf(5).put((byte) 11).putInt(a.length);
            for (Object e : a) {
                write(out, e);
            }
        }
    }

    /**
     * @param data what {@link #encode} returned
     * @return the value
     * @throws IOException if the data is malformed
     */
    static Object decode(byte[] data) throws IOException {
        return decode(data, MARK);
    }

    /** Reads what {@link #encode(Object, byte)} wrote after {@code mark}. */
    static Object decode(byte[] data, byte mark) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(data);
        try {
            if (in.get() != mark) {
                throw new IOException("not the compact form");
            }
            return read(in, 0);
        } catch (BufferUnderflowException e) {
            throw new IOException("malformed compact value: truncated", e);
        }
    }

    private static Object read(ByteBuffer in, int depth) throws IOException {
        byte tag = in.get();
        switch (tag) {
            case 0: return null;
            case 1: return in.getInt();
            case 2: return in.getLong();
            case 3: return in.getDouble();
            case 4: return in.getFloat();
            case 5: return in.getShort();
            case 6: return in.get();
            case 7: return in.getChar();
            case 8: return in.get() != 0;
            case 9: return new String(readBytes(in), StandardCharsets.UTF_8);
            case 10: return readBytes(in);
            case 11:
                if (depth >= MAX_DEPTH) {
                    throw new IOException("malformed compact value: too deep");
                }
                int n = length(in);
                Object[] a = new Object[n];
                for (int i = 0; i < n; i++) {
                    a[i] = read(in, depth + 1);
                }
                return a;
            default:
                throw new IOException("malformed compact value: tag=" + tag);
        }
    }

    private static byte[] readBytes(ByteBuffer in) throws IOException {
        byte[] b = new byte[length(in)];
        in.get(b);
        return b;
    }

    private static int length(ByteBuffer in) throws IOException {
        int n = in.getInt();
        if (n < 0 || n > MAX_LENGTH || n > in.remaining()) {
            throw new IOException("malformed compact value: length=" + n);
        }
        return n;
    }
}
