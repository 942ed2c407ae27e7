package io.mmipc.internal.proc;

import java.util.Properties;

/**
 * The tokens of every copy of mmipc loaded in this JVM (one per class loader), kept in one system property
 * because system properties are the one registry every class loader shares. A copy must never open
 * another copy's node file: closing any descriptor of a file drops all of this process's fcntl locks on it,
 * so a liveness check would make the other copy look dead to every other process.
 */
final class JvmTokens {
    /** The system property listing this JVM's tokens, comma-separated, in hexadecimal. */
    static final String PROPERTY = "io.mmipc.jvmTokens";

    private JvmTokens() {
    }

    /** Adds a token of this JVM (a new copy of the library). */
    static void add(long token) {
        Properties props = System.getProperties();
        // Every copy locks the same Properties object, so concurrent copies do not lose each other's entry.
        synchronized (props) {
            String old = props.getProperty(PROPERTY);
            String entry = Nodes.fileName(token);
            props.setProperty(PROPERTY, old == null || old.isEmpty() ? entry : old + "," + entry);
        }
    }

    /** @return whether {@code token} belongs to a copy of mmipc in this JVM */
    static boolean contains(long token) {
        String all = System.getProperty(PROPERTY);
        return all != null && all.contains(Nodes.fileName(token));
    }
}
