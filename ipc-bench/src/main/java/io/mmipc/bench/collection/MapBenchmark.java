package io.mmipc.bench.collection;

import org.openjdk.jmh.annotations.Fork;

/** mmipc's {@code SharedMap} between two processes; no JVM flags. */
@Fork(1)
public class MapBenchmark extends AbstractMapBenchmark {
    @Override
    protected MapOps.Impl impl() {
        return MapOps.Impl.MMIPC;
    }
}
