package io.mmipc.process;

import java.io.ObjectInputFilter;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which classes Java deserialization may instantiate when tasks, arguments and results cross between
 * processes: the same rule as {@link io.mmipc.codec.Codecs#serializable(Class[])} (arrays of allowed
 * classes and primitive arrays pass; anything else is refused before it is instantiated), plus a fixed base
 * set: strings, boxed primitives, {@code BigInteger}/{@code BigDecimal}, {@code java.time} values, the common
 * {@code java.util} collections, a serialized lambda and the descriptor of a shared-object handle.
 *
 * <p>The child trusts its parent: a task's allow-list is the set of classes the parent wrote when it
 * serialized the task (recorded by {@link TaskSerializer}), so a lambda's capturing class and captured
 * types are allowed with no work by the user, and nothing else is. Results going the other way are checked
 * against the classes the caller declared ({@link SharedProcess.Builder#allow}, {@link SharedPool.Builder#allow})
 * plus the classes the parent itself sent.
 */
final class AllowList {
    private static final Set<String> BASE = Set.of("java.lang.Object", "java.lang.String", "java.lang.Number",
            "java.lang.Integer", "java.lang.Long", "java.lang.Double", "java.lang.Float", "java.lang.Short",
            "java.lang.Byte", "java.lang.Character", "java.lang.Boolean", "java.lang.Enum",
            "java.lang.invoke.SerializedLambda", "java.math.BigInteger", "java.math.BigDecimal", "java.time.Ser",
            "java.util.ArrayList", "java.util.LinkedList", "java.util.ArrayDeque", "java.util.HashMap",
            "java.util.LinkedHashMap", "java.util.TreeMap", "java.util.HashSet", "java.util.LinkedHashSet",
            "java.util.TreeSet", "java.util.CollSer", "java.util.Arrays$ArrayList",
            "java.util.AbstractMap$SimpleEntry", "java.util.AbstractMap$SimpleImmutableEntry",
            "java.util.Collections$EmptyList", "java.util.Collections$SingletonList",
            "java.util.Collections$UnmodifiableRandomAccessList", "java.util.Collections$UnmodifiableList",
            "java.util.Collections$UnmodifiableCollection", HandleDescriptor.class.getName(), HandleKind.class.getName());
    /** Depth and reference limits, as in the queue's serializable codec. */
    private static final int MAX_DEPTH = 64;
    private static final long MAX_REFERENCES = 1_000_000;

    private final Set<String> names = ConcurrentHashMap.newKeySet();

    private AllowList(Collection<String> names) {
        this.names.addAll(names);
    }

    /** @return a list allowing the base set and the named classes */
    static AllowList of(Collection<String> classNames) {
        return new AllowList(classNames);
    }

    /** @return a list allowing the base set and {@code classes} */
    static AllowList ofClasses(Collection<Class<?>> classes) {
        Set<String> n = new HashSet<>();
        for (Class<?> c : classes) {
            n.add(c.getName());
        }
        return new AllowList(n);
    }

    /** Allows these names too (the pool adds the classes of every task it sends). */
    void addAll(Collection<String> classNames) {
        names.addAll(classNames);
    }

    /** @return whether a class of this name may be instantiated (the base set or a name given) */
    boolean allows(String className) {
        return BASE.contains(className) || names.contains(className);
    }

    /** @return the names allowed beyond the base set */
    List<String> names() {
        return List.copyOf(names);
    }

    /** @return the class an allow-list speaks of for {@code c}: arrays by their element type */
    static Class<?> element(Class<?> c) {
        while (c.isArray()) {
            c = c.getComponentType();
        }
        return c;
    }

    /**
     * The JDK also filters what a {@code readResolve} returns: for a serialized lambda that is the lambda's
     * hidden class, which only its capturing class's {@code $deserializeLambda$} can make. Allowed when that
     * capturing class is.
     */
    private boolean isLambdaOfAllowed(Class<?> c, String n) {
        int at = n.indexOf("$$Lambda");
        return at > 0 && c.isSynthetic() && names.contains(n.substring(0, at));
    }

    /** @return the filter enforcing this list */
    ObjectInputFilter filter() {
        return info -> {
            Class<?> c = info.serialClass();
            if (c == null) {
                return info.depth() > MAX_DEPTH || info.references() > MAX_REFERENCES
                        ? ObjectInputFilter.Status.REJECTED : ObjectInputFilter.Status.UNDECIDED;
            }
            c = element(c);
            String n = c.getName();
            return c.isPrimitive() || BASE.contains(n) || names.contains(n) || isLambdaOfAllowed(c, n)
                    || HandleKind.of(c) != null
                    ? ObjectInputFilter.Status.ALLOWED : ObjectInputFilter.Status.REJECTED;
        };
    }
}
