package io.mmipc.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
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
    /** Largest encoded form: a Java array's limit, with room to spare. */
    private static final long MAX_ENCODED = Integer.MAX_VALUE - 64;

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
        // Two passes over the value: the first checks it and sizes the form (keeping strings' UTF-8 for the
        // second), so the second writes into one exact array, without growing a buffer or copying it out.
        Writer w = new Writer();
        long size = w.size(value, 0);
        if (size < 0 || size > MAX_ENCODED) {
            return null;
        }
        w.out = new byte[1 + (int) size];
        w.out[0] = mark;
        w.at = 1;
        w.write(value);
        return w.out;
    }

    /** The two passes of {@link #encode(Object, byte)}. */
    private static final class Writer {
        /**
         * UTF-8 of the strings met by {@link #size}, in the order {@link #write} meets them again; made at the
         * first string (most chunks of a pool are numbers).
         */
        private ArrayDeque<byte[]> strings;
        private byte[] out;
        private int at;

        /** @return the bytes {@code v} takes, or -1 if it is not plain (the common types tested first) */
        long size(Object v, int depth) {
            if (v == null) {
                return 1;
            } else if (v instanceof Integer) {
                return 5;
            } else if (v instanceof Long || v instanceof Double) {
                return 9;
            } else if (v instanceof String) {
                byte[] s = ((String) v).getBytes(StandardCharsets.UTF_8);
                if (strings == null) {
                    strings = new ArrayDeque<>();
                }
                strings.add(s);
                return 5L + s.length;
            } else if (v instanceof Float) {
                return 5;
            } else if (v instanceof Short || v instanceof Character) {
                return 3;
            } else if (v instanceof Byte || v instanceof Boolean) {
                return 2;
            } else if (v instanceof byte[]) {
                return 5L + ((byte[]) v).length;
            } else if (v.getClass() != Object[].class || depth >= MAX_DEPTH) {
                return -1;
            }
            long total = 5;
            for (Object e : (Object[]) v) {
                long n = size(e, depth + 1);
                if (n < 0) {
                    return -1;
                }
                total += n;
                if (total > MAX_ENCODED) {
                    return -1;
                }
            }
            return total;
        }

        void write(Object v) {
            if (v == null) {
                out[at++] = 0;
            } else if (v instanceof Integer) {
                out[at++] = 1;
                putInt((Integer) v);
            } else if (v instanceof Long) {
                out[at++] = 2;
                putLong((Long) v);
            } else if (v instanceof String) {
                byte[] s = strings.poll();
                out[at++] = 9;
                putBytes(s);
            } else if (v instanceof Double) {
                out[at++] = 3;
                putLong(Double.doubleToRawLongBits((Double) v));
            } else if (v instanceof Float) {
                out[at++] = 4;
                putInt(Float.floatToRawIntBits((Float) v));
            } else if (v instanceof Short) {
                out[at++] = 5;
                putShort((Short) v);
            } else if (v instanceof Byte) {
                out[at++] = 6;
                out[at++] = (Byte) v;
            } else if (v instanceof Character) {
                out[at++] = 7;
                putShort((Character) v);
            } else if (v instanceof Boolean) {
                out[at++] = 8;
                out[at++] = (byte) ((Boolean) v ? 1 : 0);
            } else if (v instanceof byte[]) {
                out[at++] = 10;
                putBytes((byte[]) v);
            } else {
                Object[] a = (Object[]) v;
                out[at++] = 11;
                putInt(a.length);
                for (Object e : a) {
                    write(e);
                }
            }
        }

        private void putShort(int v) {
            out[at] = (byte) (v >>> 8);
            out[at + 1] = (byte) v;
            at += 2;
        }

        private void putInt(int v) {
            out[at] = (byte) (v >>> 24);
            out[at + 1] = (byte) (v >>> 16);
            out[at + 2] = (byte) (v >>> 8);
            out[at + 3] = (byte) v;
            at += 4;
        }

        private void putLong(long v) {
            putInt((int) (v >>> 32));
            putInt((int) v);
        }

        private void putBytes(byte[] b) {
            putInt(b.length);
            System.arraycopy(b, 0, out, at, b.length);
            at += b.length;
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
        Reader in = new Reader(data);
        if (in.u8() != mark) {
            throw new IOException("not the compact form");
        }
        return in.read(0);
    }

    /** Reads the form from an array, checking every length against what is left (nothing read past the end). */
    private static final class Reader {
        private final byte[] in;
        private int at;

        Reader(byte[] in) {
            this.in = in;
        }

        Object read(int depth) throws IOException {
            byte tag = u8();
            switch (tag) {
                case 0: return null;
                case 1: return i32();
                case 2: return i64();
                case 3: return Double.longBitsToDouble(i64());
                case 4: return Float.intBitsToFloat(i32());
                case 5: return (short) i16();
                case 6: return u8();
                case 7: return (char) i16();
                case 8: return u8() != 0;
                case 9: return new String(bytes(), StandardCharsets.UTF_8);
                case 10: return bytes();
                case 11:
                    if (depth >= MAX_DEPTH) {
                        throw new IOException("malformed compact value: too deep");
                    }
                    int n = length();
                    Object[] a = new Object[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = read(depth + 1);
                    }
                    return a;
                default:
                    throw new IOException("malformed compact value: tag=" + tag);
            }
        }

        private void need(int n) throws IOException {
            if (in.length - at < n) {
                throw new IOException("malformed compact value: truncated");
            }
        }

        byte u8() throws IOException {
            need(1);
            return in[at++];
        }

        private int i16() throws IOException {
            need(2);
            int v = (in[at] & 0xff) << 8 | in[at + 1] & 0xff;
            at += 2;
            return v;
        }

        private int i32() throws IOException {
            need(4);
            int v = intAt(at);
            at += 4;
            return v;
        }

        private long i64() throws IOException {
            need(8);
            long v = longAt(at);
            at += 8;
            return v;
        }

        private int intAt(int i) {
            return in[i] << 24 | (in[i + 1] & 0xff) << 16 | (in[i + 2] & 0xff) << 8 | in[i + 3] & 0xff;
        }

        private long longAt(int i) {
            return (long) intAt(i) << 32 | intAt(i + 4) & 0xffffffffL;
        }

        private byte[] bytes() throws IOException {
            int n = length();
            byte[] b = Arrays.copyOfRange(in, at, at + n);
            at += n;
            return b;
        }

        private int length() throws IOException {
            int n = i32();
            if (n < 0 || n > MAX_LENGTH || n > in.length - at) {
                throw new IOException("malformed compact value: length=" + n);
            }
            return n;
        }
    }
}
