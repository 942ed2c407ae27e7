package io.mmipc.codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Built-in codecs: bytes, strings, byte buffers, boxed primitives, and filtered Java serialization. */
public final class Codecs {
    private static final Codec<byte[]> BYTES = new Codec<>() {
        @Override
        public String name() {
            return "bytes";
        }

        @Override
        public ByteBuffer encode(byte[] value, ByteBuffer scratch) {
            return ByteBuffer.wrap(value);
        }

        @Override
        public byte[] decode(ByteBuffer message) {
            byte[] out = new byte[message.remaining()];
            message.get(out);
            return out;
        }
    };

    private static final Codec<ByteBuffer> BYTE_BUFFER = new Codec<>() {
        @Override
        public String name() {
            return "bytes";
        }

        @Override
        public ByteBuffer encode(ByteBuffer value, ByteBuffer scratch) {
            return value.duplicate();
        }

        @Override
        public ByteBuffer decode(ByteBuffer message) {
            ByteBuffer out = ByteBuffer.allocate(message.remaining());
            out.put(message).flip();
            return out;
        }
    };

    private static final Codec<String> STRING = new Codec<>() {
        @Override
        public String name() {
            return "string:utf-8";
        }

        @Override
        public ByteBuffer encode(String value, ByteBuffer scratch) {
            return ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String decode(ByteBuffer message) {
            return StandardCharsets.UTF_8.decode(message).toString();
        }
    };

    private static final Codec<Integer> INTEGER = fixed("int32", 4, (v, b) -> b.putInt(v), ByteBuffer::getInt);
    private static final Codec<Long> LONG = fixed("int64", 8, (v, b) -> b.putLong(v), ByteBuffer::getLong);
    private static final Codec<Double> DOUBLE = fixed("float64", 8, (v, b) -> b.putDouble(v), ByteBuffer::getDouble);
    private static final Codec<Float> FLOAT = fixed("float32", 4, (v, b) -> b.putFloat(v), ByteBuffer::getFloat);
    private static final Codec<Short> SHORT = fixed("int16", 2, (v, b) -> b.putShort(v), ByteBuffer::getShort);
    private static final Codec<Byte> BYTE = fixed("int8", 1, (v, b) -> b.put(v), ByteBuffer::get);
    private static final Codec<Character> CHAR = fixed("char16", 2, (v, b) -> b.putChar(v), ByteBuffer::getChar);
    private static final Codec<Boolean> BOOLEAN = fixed("bool", 1, (v, b) -> b.put((byte) (v ? 1 : 0)), b -> b.get() != 0);

    /** Classes every serializable codec admits besides the caller's: strings and boxed primitives. */
    private static final Set<Class<?>> BASE_CLASSES = Set.of(String.class, Number.class, Integer.class, Long.class,
            Double.class, Float.class, Short.class, Byte.class, Character.class, Boolean.class, Enum.class);

    private Codecs() {
    }

    /** {@return a codec for byte arrays (the array is the message)} */
    public static Codec<byte[]> bytes() {
        return BYTES;
    }

    /**
     * Raw bytes that open a queue or pipe <em>whatever codec its file records</em>, for byte-level tools:
     * dumping, copying or forwarding messages without knowing their type. Same as
     * {@code unchecked(bytes())}.
     *
     * @return a codec for byte arrays that skips the codec check on open
     */
    public static Codec<byte[]> anyBytes() {
        return unchecked(BYTES);
    }

    /**
     * The same codec, but opening a queue or pipe whatever codec its file records (its name is
     * {@code "*"} followed by the codec's own name, which is what a file created with it records). For tools
     * and for the rare reader that knows better than the file; a mismatch then shows up as decoding errors.
     *
     * @param codec the codec to use
     * @param <T>   the item type
     * @return a codec that encodes and decodes like {@code codec} and skips the codec check on open
     */
    public static <T> Codec<T> unchecked(Codec<T> codec) {
        String inner = Objects.requireNonNull(codec, "codec").name();
        String name = "*" + (inner == null ? "" : inner);
        return new Codec<>() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public ByteBuffer encode(T value, ByteBuffer scratch) {
                return codec.encode(value, scratch);
            }

            @Override
            public T decode(ByteBuffer message) {
                return codec.decode(message);
            }
        };
    }

    /** {@return a codec for byte buffers (position to limit is the message; decoded as a heap buffer)} */
    public static Codec<ByteBuffer> byteBuffer() {
        return BYTE_BUFFER;
    }

    /** {@return a UTF-8 codec for strings} */
    public static Codec<String> string() {
        return STRING;
    }

    /** {@return a codec for {@link Integer}} */
    public static Codec<Integer> int32() {
        return INTEGER;
    }

    /** {@return a codec for {@link Long}} */
    public static Codec<Long> int64() {
        return LONG;
    }

    /** {@return a codec for {@link Double}} */
    public static Codec<Double> float64() {
        return DOUBLE;
    }

    /** {@return a codec for {@link Float}} */
    public static Codec<Float> float32() {
        return FLOAT;
    }

    /** {@return a codec for {@link Short}} */
    public static Codec<Short> int16() {
        return SHORT;
    }

    /** {@return a codec for {@link Byte}} */
    public static Codec<Byte> int8() {
        return BYTE;
    }

    /** {@return a codec for {@link Character}} */
    public static Codec<Character> character() {
        return CHAR;
    }

    /** {@return a codec for {@link Boolean}} */
    public static Codec<Boolean> bool() {
        return BOOLEAN;
    }

    /**
     * Java serialization that deserializes only the listed classes (plus arrays of them, primitive arrays,
     * {@code String}, the boxed primitives and enums' base class). Anything else in the stream is refused
     * by an {@link ObjectInputFilter} before it is instantiated, and decoding fails with a
     * {@link CodecException} naming the class.
     *
     * @param allowed the classes that may be deserialized (for a record or class graph, list every class;
     *                they need not be {@code T}s, e.g. {@code Codecs.<Order>serializable(Order.class, Line.class)})
     * @param <T>     the item type
     * @return the codec
     */
    public static <T extends Serializable> Codec<T> serializable(Class<?>... allowed) {
        Set<Class<?>> ok = Set.copyOf(Arrays.asList(allowed));
        String name = "serializable:" + ok.stream().map(Class::getName).sorted().collect(Collectors.joining(","));
        return serializable(name, info -> {
            Class<?> c = info.serialClass();
            if (c == null) {
                return info.depth() > 64 || info.references() > 1_000_000 ? ObjectInputFilter.Status.REJECTED
                        : ObjectInputFilter.Status.UNDECIDED;
            }
            while (c.isArray()) {
                c = c.getComponentType();
            }
            return c.isPrimitive() || ok.contains(c) || BASE_CLASSES.contains(c)
                    ? ObjectInputFilter.Status.ALLOWED : ObjectInputFilter.Status.REJECTED;
        });
    }

    /**
     * Java serialization under a filter of the caller's. The filter is applied as given; a filter that
     * answers UNDECIDED for a class leaves it refused.
     *
     * @param filter decides which classes may be deserialized
     * @param <T>    the item type
     * @return the codec
     */
    public static <T extends Serializable> Codec<T> serializable(ObjectInputFilter filter) {
        return serializable("serializable", filter);
    }

    private static <T extends Serializable> Codec<T> serializable(String name, ObjectInputFilter filter) {
        ObjectInputFilter strict = info -> {
            ObjectInputFilter.Status s = filter.checkInput(info);
            return s == ObjectInputFilter.Status.UNDECIDED && info.serialClass() != null
                    ? ObjectInputFilter.Status.REJECTED : s;
        };
        return new Codec<>() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public ByteBuffer encode(T value, ByteBuffer scratch) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
                try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                    out.writeObject(value);
                } catch (IOException e) {
                    throw new CodecException("cannot serialize " + value.getClass().getName() + ": " + e, e);
                }
                return ByteBuffer.wrap(bytes.toByteArray());
            }

            @Override
            @SuppressWarnings("unchecked")
            public T decode(ByteBuffer message) {
                byte[] data = new byte[message.remaining()];
                message.get(data);
                String[] refused = new String[1];
                try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(data))) {
                    // The JDK's rejection carries no class name: record it here so the error can name it.
                    in.setObjectInputFilter(info -> {
                        ObjectInputFilter.Status s = strict.checkInput(info);
                        if (s == ObjectInputFilter.Status.REJECTED && refused[0] == null) {
                            refused[0] = info.serialClass() != null ? info.serialClass().getTypeName()
                                    : "a limit (depth=" + info.depth() + ", references=" + info.references() + ")";
                        }
                        return s;
                    });
                    return (T) in.readObject();
                } catch (InvalidClassException e) {
                    String what = refused[0] != null ? refused[0] : e.classname;
                    throw new CodecException("refused by the deserialization filter: " + what, e);
                } catch (IOException | ClassNotFoundException | ClassCastException e) {
                    throw new CodecException("cannot deserialize: " + e, e);
                }
            }
        };
    }

    private static <T> Codec<T> fixed(String name, int size, BiConsumer<T, ByteBuffer> put,
                                      Function<ByteBuffer, T> get) {
        return new Codec<>() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public ByteBuffer encode(T value, ByteBuffer scratch) {
                put.accept(value, scratch);
                return scratch.flip();
            }

            @Override
            public T decode(ByteBuffer message) {
                if (message.remaining() != size) {
                    throw new CodecException("expected " + size + " bytes, got " + message.remaining(), null);
                }
                try {
                    return get.apply(message);
                } catch (BufferUnderflowException e) {
                    throw new CodecException("truncated value", e);
                }
            }
        };
    }
}
