package io.mmipc.bench.transport;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Every {@link Transport} by name, and the {@code name[:idle]} spelling the benchmarks' {@code @Param}s, the
 * peer's command line and the idle probe use ({@code agrona} is the Agrona ring with its default idle
 * strategy, {@code agrona:backoff} the same ring with Agrona's backoff).
 */
public final class Transports {
    /** Names of the mmipc transports: the report divides these by every other transport. */
    public static final List<String> MMIPC = List.of("mmipc-queue", "mmipc-pipe");

    private static final Map<String, Supplier<Transport>> ALL = new LinkedHashMap<>();

    static {
        register(UdsTransport::new);
        register(TcpTransport::new);
        register(ChronicleTransport::new);
        register(AgronaRingTransport::new);
        register(MmipcQueueTransport::new);
        register(MmipcPipeTransport::new);
    }

    private Transports() {
    }

    private static void register(Supplier<Transport> factory) {
        ALL.put(factory.get().name(), factory);
    }

    /** @return the registered names, in registration order */
    public static List<String> names() {
        return List.copyOf(ALL.keySet());
    }

    /**
     * @param spec {@code name} or {@code name:idle}
     * @return the transport and the idle mode (its default when none is given)
     * @throws IllegalArgumentException if the name or idle mode is unknown
     */
    public static Spec parse(String spec) {
        int colon = spec.indexOf(':');
        String name = colon < 0 ? spec : spec.substring(0, colon);
        Supplier<Transport> factory = ALL.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("unknown transport: name=" + name + ", known=" + ALL.keySet());
        }
        Transport t = factory.get();
        String idle = colon < 0 ? t.idleModes().get(0) : spec.substring(colon + 1);
        if (!t.idleModes().contains(idle)) {
            throw new IllegalArgumentException("unknown idle mode: transport=" + name + ", idle=" + idle
                    + ", known=" + t.idleModes());
        }
        return new Spec(t, idle);
    }

    /**
     * A transport with an idle mode.
     *
     * @param transport the transport
     * @param idle      one of its idle modes
     */
    public record Spec(Transport transport, String idle) {
        /** The one optional flag of mmipc: it lets a JDK 22+ JVM wait with a futex. */
        public static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

        /**
         * @return the JVM flags both processes need: the transport's, plus native access for the {@code futex}
         *     idle mode (the one opt-in flag mmipc has)
         */
        public java.util.List<String> jvmFlags() {
            if (!"futex".equals(idle)) {
                return transport.jvmFlags();
            }
            java.util.List<String> flags = new java.util.ArrayList<>(transport.jvmFlags());
            flags.add(NATIVE_ACCESS);
            return flags;
        }

        /** @return {@code name:idle}, which {@link #parse} reads back */
        @Override
        public String toString() {
            return transport.name() + ":" + idle;
        }
    }
}
