package io.mmipc.process;

import java.io.IOException;
import java.io.InvalidClassException;
import java.io.InvalidObjectException;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Set;

/**
 * A serializable lambda whose captured values are all {@link PlainValues} (most tasks and pool functions:
 * {@code x -> x + 1}, {@code () -> work(n, "name")}), written without Java serialization. A child's first
 * {@code ObjectInputStream} sets up the JDK's logger back end and serial-filter configuration, 20-30 ms of a
 * pool worker's start-up; this form rebuilds the lambda the way Java serialization does — a
 * {@link SerializedLambda} handed to the capturing class's own {@code $deserializeLambda$}, which accepts only
 * the lambdas that class wrote — after checking the capturing class against the allow-list, as the
 * serialization filter would. Anything else (a captured object, a method reference to an instance, a lambda
 * whose class this module may not open) falls back to Java serialization.
 *
 * <pre>
 * 'L' | the {@link PlainValues} form of Object[] { capturing class, functional interface class, its method
 *       name, its method signature, implementation method kind (int), implementation class, method name,
 *       method signature, instantiated method type, Object[] captured values }
 * </pre>
 */
final class PlainLambdas {
    /** First byte of the form. */
    static final byte MARK = 'L';
    private static final int FIELDS = 10;

    private PlainLambdas() {
    }

    /**
     * @param fn any object
     * @return the form and the capturing class's name, or null if {@code fn} is not a serializable lambda with
     *         plain captured values whose {@code writeReplace} this module may call
     */
    static TaskSerializer.Written encode(Object fn) {
        Class<?> c = fn == null ? null : fn.getClass();
        if (c == null || !c.isSynthetic() || !c.getName().contains("$$Lambda")) {
            return null;
        }
        SerializedLambda sl;
        try {
            Method writeReplace = c.getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            Object replaced = writeReplace.invoke(fn);
            if (!(replaced instanceof SerializedLambda)) {
                return null;
            }
            sl = (SerializedLambda) replaced;
        } catch (ReflectiveOperationException | RuntimeException notOpen) {
            return null; // not serializable, or in a module closed to this one: Java serialization decides
        }
        Object[] captured = new Object[sl.getCapturedArgCount()];
        for (int i = 0; i < captured.length; i++) {
            captured[i] = sl.getCapturedArg(i);
        }
        String capturing = sl.getCapturingClass().replace('/', '.');
        byte[] bytes = PlainValues.encode(new Object[] {capturing, sl.getFunctionalInterfaceClass(),
            sl.getFunctionalInterfaceMethodName(), sl.getFunctionalInterfaceMethodSignature(),
            sl.getImplMethodKind(), sl.getImplClass(), sl.getImplMethodName(), sl.getImplMethodSignature(),
            sl.getInstantiatedMethodType(), captured}, MARK);
        return bytes == null ? null : new TaskSerializer.Written(bytes, Set.of(capturing));
    }

    /**
     * Rebuilds a lambda {@link #encode} wrote.
     *
     * @throws InvalidClassException  naming the capturing class if the allow-list refuses it
     * @throws InvalidObjectException if the form is malformed or the capturing class refuses the lambda
     * @throws IOException            if the capturing class cannot be loaded
     */
    static Object decode(byte[] data, AllowList allowed) throws IOException {
        Object decoded = PlainValues.decode(data, MARK);
        if (!(decoded instanceof Object[]) || ((Object[]) decoded).length != FIELDS) {
            throw new InvalidObjectException("malformed lambda form");
        }
        Object[] f = (Object[]) decoded;
        for (int i = 0; i < FIELDS; i++) {
            boolean ok = i == 4 ? f[i] instanceof Integer : i == 9 ? f[i] instanceof Object[] : f[i] instanceof String;
            if (!ok) {
                throw new InvalidObjectException("malformed lambda form: field " + i);
            }
        }
        String capturing = (String) f[0];
        if (!allowed.allows(capturing)) {
            throw new InvalidClassException(capturing, "refused by the allow-list (a lambda's capturing class)");
        }
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            Class<?> c = Class.forName(capturing, false, loader != null ? loader : PlainLambdas.class.getClassLoader());
            SerializedLambda sl = new SerializedLambda(c, (String) f[1], (String) f[2], (String) f[3], (Integer) f[4],
                    (String) f[5], (String) f[6], (String) f[7], (String) f[8], (Object[]) f[9]);
            Method deserialize = c.getDeclaredMethod("$deserializeLambda$", SerializedLambda.class);
            deserialize.setAccessible(true);
            return deserialize.invoke(null, sl);
        } catch (ClassNotFoundException e) {
            throw new IOException("cannot load a lambda's capturing class: " + capturing, e);
        } catch (InvocationTargetException e) {
            InvalidObjectException bad = new InvalidObjectException(capturing + " refused the lambda: " + e.getCause());
            bad.initCause(e.getCause());
            throw bad;
        } catch (ReflectiveOperationException | RuntimeException e) {
            InvalidObjectException bad = new InvalidObjectException("cannot rebuild a lambda of " + capturing + ": " + e);
            bad.initCause(e);
            throw bad;
        }
    }
}
