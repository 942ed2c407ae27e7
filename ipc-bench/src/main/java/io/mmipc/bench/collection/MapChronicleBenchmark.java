package io.mmipc.bench.collection;

import org.openjdk.jmh.annotations.Fork;

/** Chronicle Map between two processes, with the JVM flags it needs (its fork and its peer). */
@Fork(value = 1, jvmArgsAppend = {ChronicleMapOps.EXPORT_REF, ChronicleMapOps.EXPORT_NIO, ChronicleMapOps.EXPORT_MISC,
    ChronicleMapOps.EXPORT_JAVAC, ChronicleMapOps.OPEN_JAVAC, ChronicleMapOps.OPEN_LANG, ChronicleMapOps.OPEN_REFLECT,
    ChronicleMapOps.OPEN_IO, ChronicleMapOps.OPEN_UTIL, ChronicleMapOps.NO_ANALYTICS, ChronicleMapOps.NO_ANNOUNCER})
public class MapChronicleBenchmark extends AbstractMapBenchmark {
    @Override
    protected MapOps.Impl impl() {
        return MapOps.Impl.CHRONICLE;
    }
}
