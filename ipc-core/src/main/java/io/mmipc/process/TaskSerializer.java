package io.mmipc.process;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Java serialization for what crosses to and from child processes (plain values, the common case of a
 * pool's items and results, take the compact {@link PlainValues} form instead; lambdas with plain captured
 * values and a pool worker's own task take {@link PlainLambdas} and {@link WorkerLoop#plain()}). Writing records every class it writes
 * (the receiver's allow-list, see {@link AllowList}) and replaces shared-object handles by their
 * {@link HandleDescriptor}; reading refuses every class the allow-list does not name and reopens each
 * descriptor as a live handle, which it adds to a list so the caller can close them when the task is over.
 */
final class TaskSerializer {
    private TaskSerializer() {
    }

    /**
     * Bytes and the classes in them.
     *
     * @param bytes   the serialized form
     * @param classes the names of every class written (array classes by their element type)
     */
    record Written(byte[] bytes, Set<String> classes) {
    }

    /**
     * Serializes {@code value}.
     *
     * @param value what to write (null allowed)
     * @return the bytes and the classes in them
     * @throws NotSerializableException naming the class that is not serializable
     * @throws IOException              if writing fails otherwise
     */
    static Written write(Object value) throws IOException {
        byte[] plain = PlainValues.encode(value);
        if (plain != null) {
            return new Written(plain, Set.of());
        }
        Written lambda = value instanceof WorkerLoop ? ((WorkerLoop) value).plain() : PlainLambdas.encode(value);
        if (lambda != null) {
            return lambda;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        Set<String> classes = new LinkedHashSet<>();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes) {
            {
                enableReplaceObject(true);
            }

            @Override
            protected void annotateClass(Class<?> cl) {
                classes.add(AllowList.element(cl).getName());
            }

            @Override
            protected Object replaceObject(Object obj) throws IOException {
                return SharedHandles.isHandle(obj) ? SharedHandles.descriptorOf(obj) : obj;
            }
        }) {
            out.writeObject(value);
        }
        return new Written(bytes.toByteArray(), classes);
    }

    /**
     * Deserializes what {@link #write} wrote.
     *
     * @param data    the bytes
     * @param allowed the classes that may be instantiated
     * @param opened  receives every handle reopened from a descriptor (close them when done)
     * @return the object
     * @throws InvalidClassException naming a class the allow-list refused
     * @throws IOException           if the data is malformed or a handle cannot be reopened
     */
    static Object read(byte[] data, AllowList allowed, List<AutoCloseable> opened) throws IOException {
        if (data.length > 0 && data[0] == PlainValues.MARK) {
            return PlainValues.decode(data);
        }
        if (data.length > 0 && data[0] == PlainLambdas.MARK) {
            return PlainLambdas.decode(data, allowed);
        }
        if (data.length > 0 && data[0] == WorkerLoop.MARK) {
            return WorkerLoop.fromPlain(data, allowed);
        }
        String[] refused = new String[1];
        ObjectInputFilter filter = allowed.filter();
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(data)) {
            {
                enableResolveObject(true);
                setObjectInputFilter(info -> {
                    ObjectInputFilter.Status s = filter.checkInput(info);
                    if (s == ObjectInputFilter.Status.REJECTED && refused[0] == null) {
                        refused[0] = info.serialClass() != null ? info.serialClass().getName()
                                : "a limit (depth=" + info.depth() + ", references=" + info.references() + ")";
                    }
                    return s;
                });
            }

            @Override
            protected Object resolveObject(Object obj) throws IOException {
                if (obj instanceof HandleDescriptor) {
                    AutoCloseable handle = SharedHandles.open((HandleDescriptor) obj);
                    opened.add(handle);
                    return handle;
                }
                return obj;
            }
        }) {
            return in.readObject();
        } catch (InvalidClassException e) {
            if (refused[0] != null) {
                InvalidClassException named = new InvalidClassException(refused[0],
                        "refused by the allow-list (allow it on the pool or process builder)");
                named.initCause(e);
                throw named;
            }
            throw e;
        } catch (ClassNotFoundException e) {
            throw new IOException("class not found: " + e.getMessage(), e);
        }
    }
}
