package io.mmipc.bench.collection;

import net.openhft.chronicle.map.ChronicleMap;

import java.io.IOException;
import java.nio.file.Path;

/** Chronicle Map, persisted to a file in the folder (shared by processes), and the JVM flags it needs. */
final class ChronicleMapOps {
    /** JVM flag Chronicle Map needs on JDK 17+. */
    static final String EXPORT_REF = "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED";
    /** JVM flag Chronicle Map needs on JDK 17+. */
    static final String EXPORT_NIO = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED";
    /** JVM flag Chronicle Map needs on JDK 17+. */
    static final String EXPORT_MISC = "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED";
    /** JVM flag Chronicle Map needs on JDK 17+ (it compiles code at run time). */
    static final String EXPORT_JAVAC = "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED";
    /** JVM flag Chronicle Map needs on JDK 17+. */
    static final String OPEN_JAVAC = "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED";
    /** JVM flag Chronicle Map needs on JDK 17+. */
    static final String OPEN_LANG = "--add-opens=java.base/java.lang=ALL-UNNAMED";
    /** JVM flag Chronicle Map needs on JDK 17+. */
    static final String OPEN_REFLECT = "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED";
    /** JVM flag Chronicle Map needs on JDK 17+. */
    static final String OPEN_IO = "--add-opens=java.base/java.io=ALL-UNNAMED";
    /** JVM flag Chronicle Map needs on JDK 17+. */
    static final String OPEN_UTIL = "--add-opens=java.base/java.util=ALL-UNNAMED";
    /** Keeps Chronicle off the network. */
    static final String NO_ANALYTICS = "-Dchronicle.analytics.disable=true";
    /** Keeps Chronicle quiet. */
    static final String NO_ANNOUNCER = "-Dchronicle.announcer.disable=true";
    /** All of them, for its peer processes. */
    static final String[] FLAGS = {EXPORT_REF, EXPORT_NIO, EXPORT_MISC, EXPORT_JAVAC, OPEN_JAVAC, OPEN_LANG,
        OPEN_REFLECT, OPEN_IO, OPEN_UTIL, NO_ANALYTICS, NO_ANNOUNCER};

    private ChronicleMapOps() {
    }

    static MapOps open(Path dir) throws IOException {
        ChronicleMap<String, Long> map = ChronicleMap.of(String.class, Long.class)
                .name("bench-map")
                .entries(10_000)
                .averageKey("k999")
                .createPersistedTo(dir.resolve("bench-map.cmap").toFile());
        return new ConcurrentMapOps(map, map::close);
    }
}
