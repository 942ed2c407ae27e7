package io.mmipc.process;

import io.mmipc.codec.Codec;
import io.mmipc.internal.file.Directories;
import io.mmipc.internal.log.Log;
import io.mmipc.pipe.PipeConnection;
import io.mmipc.queue.SharedQueue;

import java.io.IOException;
import java.io.NotSerializableException;
import java.io.Serializable;
import java.lang.System.Logger.Level;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Shared-object handles across processes. A handle (queue, joinable queue, pipe connection, lock, rlock,
 * semaphore, event, condition, barrier, value or array) passed to a {@link SharedProcess} task or a
 * {@link SharedPool} function is sent as what it takes to reopen it and arrives as a live handle to the same
 * object, the way Python pickles a queue for a child process; the child closes it when the task ends.
 *
 * <p>For programs started some other way, {@link #describe} turns a handle into a portable string, e.g.
 * {@code mmipc:QUEUE:%2Fdev%2Fshm%2Fmmipc-root%2Fjobs.mmipc?codec=string}, and {@link #open(String, Class)}
 * reopens it. A queue or pipe whose codec is one of {@link io.mmipc.codec.Codecs}' built-ins names it in the
 * string; with another codec, pass it to {@link #open(String, Class, Codec)} (or, to send such a handle to a
 * task, make the codec class {@link Serializable}).
 */
public final class SharedHandles {
    private static final String SCHEME = "mmipc:";

    private SharedHandles() {
    }

    /**
     * {@return whether it is a shared-object handle this class can describe}
     *
     * @param obj any object
     */
    public static boolean isHandle(Object obj) {
        return obj != null && HandleKind.of(obj) != null;
    }

    /**
     * Describes a handle as a portable string.
     *
     * @param handle an open shared-object handle
     * @return the descriptor string; {@link #open(String, Class)} reopens it in any process of the same user
     * @throws IllegalArgumentException if {@code handle} is not a shared-object handle
     */
    public static String describe(Object handle) {
        HandleDescriptor d = describeParts(handle);
        StringBuilder s = new StringBuilder(SCHEME).append(d.kind()).append(':')
                .append(URLEncoder.encode(d.path(), StandardCharsets.UTF_8));
        String sep = "?";
        if (d.codecName() != null) {
            s.append(sep).append("codec=").append(d.codecName());
            sep = "&";
        }
        if (d.end() != null) {
            s.append(sep).append("end=").append(d.end());
        }
        return s.toString();
    }

    /**
     * Reopens the object a descriptor string names, with the codec the string names (if any).
     *
     * @param descriptor what {@link #describe} returned
     * @param type       the handle class expected, e.g. {@code SharedQueue.class}
     * @param <T>        the handle type
     * @return a new open handle; the caller closes it
     * @throws IllegalArgumentException if the string is malformed, names another type, or a queue or pipe
     *                                  names no built-in codec
     * @throws IOException              if the object cannot be opened
     */
    public static <T> T open(String descriptor, Class<T> type) throws IOException {
        return open(descriptor, type, null);
    }

    /**
     * Reopens the object a descriptor string names, with {@code codec} for its items.
     *
     * @param descriptor what {@link #describe} returned
     * @param type       the handle class expected
     * @param codec      the codec for a queue or pipe (null: the one the string names)
     * @param <T>        the handle type
     * @return a new open handle; the caller closes it
     * @throws IllegalArgumentException if the string is malformed or names another type
     * @throws IOException              if the object cannot be opened
     */
    public static <T> T open(String descriptor, Class<T> type, Codec<?> codec) throws IOException {
        Objects.requireNonNull(descriptor, "descriptor");
        if (!descriptor.startsWith(SCHEME)) {
            throw new IllegalArgumentException("not an mmipc descriptor: descriptor=" + descriptor);
        }
        String rest = descriptor.substring(SCHEME.length());
        int colon = rest.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("malformed mmipc descriptor: descriptor=" + descriptor);
        }
        HandleKind kind;
        try {
            kind = HandleKind.valueOf(rest.substring(0, colon));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown object kind in descriptor: descriptor=" + descriptor, e);
        }
        String body = rest.substring(colon + 1);
        int q = body.indexOf('?');
        String path = URLDecoder.decode(q < 0 ? body : body.substring(0, q), StandardCharsets.UTF_8);
        String codecName = null;
        String end = null;
        if (q >= 0) {
            for (String kv : body.substring(q + 1).split("&")) {
                if (kv.startsWith("codec=")) {
                    codecName = kv.substring(6);
                } else if (kv.startsWith("end=")) {
                    end = kv.substring(4);
                } else {
                    throw new IllegalArgumentException("unknown descriptor field: field=" + kv + ", descriptor="
                            + descriptor);
                }
            }
        }
        if (kind.hasCodec() && codec == null && codecName == null) {
            throw new IllegalArgumentException("the descriptor names no built-in codec: pass the codec, descriptor="
                    + descriptor);
        }
        Serializable given = codec instanceof Serializable ? (Serializable) codec : null;
        HandleDescriptor d = new HandleDescriptor(kind, path, codec != null ? null : codecName, given, end);
        Object handle = codec != null && given == null ? openWith(d, codec) : open(d);
        if (!type.isInstance(handle)) {
            closeQuietly((AutoCloseable) handle);
            throw new IllegalArgumentException("descriptor names a " + kind + ", not a " + type.getSimpleName()
                    + ": descriptor=" + descriptor);
        }
        return type.cast(handle);
    }

    /** @return the descriptor of a handle that is to be serialized; the codec must be able to travel */
    static HandleDescriptor descriptorOf(Object handle) throws NotSerializableException {
        HandleDescriptor d = describeParts(handle);
        if (d.kind().hasCodec() && d.codecName() == null && d.codec() == null) {
            throw new NotSerializableException(label(handle) + ": its codec cannot travel to another process "
                    + "(use a built-in codec of Codecs, or a codec class that implements Serializable)");
        }
        return d;
    }

    /** Reopens the object {@code d} describes. */
    static AutoCloseable open(HandleDescriptor d) throws IOException {
        Codec<?> codec = null;
        if (d.codecName() != null) {
            codec = CodecNames.byName(d.codecName());
        } else if (d.codec() instanceof Codec) {
            codec = (Codec<?>) d.codec();
        }
        return openWith(d, codec);
    }

    @SuppressWarnings("unchecked")
    private static AutoCloseable openWith(HandleDescriptor d, Codec<?> codec) throws IOException {
        Path path = Path.of(d.path());
        return d.kind().open(nameOf(path), path, (Codec<Object>) codec, d.end());
    }

    private static HandleDescriptor describeParts(Object handle) {
        HandleKind kind = HandleKind.of(handle);
        if (kind == null) {
            throw new IllegalArgumentException("not a shared-object handle: class="
                    + (handle == null ? "null" : handle.getClass().getName()));
        }
        Codec<?> codec = null;
        String end = null;
        if (handle instanceof SharedQueue) {
            codec = ((SharedQueue<?>) handle).codec();
        } else if (handle instanceof PipeConnection) {
            codec = ((PipeConnection<?>) handle).codec();
            end = ((PipeConnection<?>) handle).end().name();
        }
        String codecName = codec == null ? null : CodecNames.nameOf(codec);
        Serializable travelling = codecName == null && codec instanceof Serializable ? (Serializable) codec : null;
        return new HandleDescriptor(kind, pathOf(handle).toAbsolutePath().toString(), codecName, travelling, end);
    }

    private static Path pathOf(Object h) {
        if (h instanceof SharedQueue) {
            return ((SharedQueue<?>) h).path();
        } else if (h instanceof PipeConnection) {
            return ((PipeConnection<?>) h).path();
        }
        try {
            // every handle class has a public path(); the lock, semaphore and value ones inherit it from a
            // package-private base, so it is reached through the public class's bridge method
            return (Path) h.getClass().getMethod("path").invoke(h);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read the path of " + h.getClass().getName(), e);
        }
    }

    private static String label(Object handle) {
        return handle instanceof SharedQueue ? ((SharedQueue<?>) handle).label()
                : handle instanceof PipeConnection ? ((PipeConnection<?>) handle).label() : handle.toString();
    }

    /** @return the object's name as its file gives it (only labels messages: the path is what opens it) */
    private static String nameOf(Path path) {
        String file = path.getFileName().toString();
        String name = file.endsWith(Directories.SUFFIX) ? file.substring(0, file.length() - Directories.SUFFIX.length())
                : file;
        name = Directories.safeName(name);
        return name.isEmpty() || name.startsWith(".") ? "object" + name : name;
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // Closing a handle at the end of a task: nothing else to do with a failure.
            Log.PROCESS.log(Level.DEBUG, "closing a handle at the end of a task failed: " + c, e);
        }
    }
}
