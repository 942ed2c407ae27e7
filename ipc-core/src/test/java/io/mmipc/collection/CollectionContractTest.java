package io.mmipc.collection;

import com.google.common.collect.testing.ConcurrentMapTestSuiteBuilder;
import com.google.common.collect.testing.ListTestSuiteBuilder;
import com.google.common.collect.testing.TestStringListGenerator;
import com.google.common.collect.testing.TestStringMapGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.features.ListFeature;
import com.google.common.collect.testing.features.MapFeature;
import io.mmipc.codec.Codecs;
import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JDK collection contracts, as guava-testlib checks them, on {@link SharedMap} (a {@code ConcurrentMap}
 * without null keys or values) and {@link SharedList} (a general-purpose {@code List} without nulls).
 */
@Timeout(600)
class CollectionContractTest {
    private static Path dir;
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final List<AutoCloseable> OPEN = new ArrayList<>();

    @BeforeAll
    static void setUp() throws IOException {
        dir = TestDirs.create("collection-contract");
    }

    @AfterAll
    static void tearDown() throws Exception {
        closeAll();
        TestDirs.delete(dir);
    }

    private static synchronized void closeAll() throws IOException {
        for (AutoCloseable c : OPEN) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
        OPEN.clear();
        for (String name : io.mmipc.SharedObjects.list(dir)) {
            io.mmipc.SharedObjects.remove(dir, name);
        }
    }

    private static synchronized <T extends AutoCloseable> T track(T c) {
        OPEN.add(c);
        return c;
    }

    @TestFactory
    DynamicNode sharedMapIsAConcurrentMap() {
        return GuavaSuites.toDynamic(ConcurrentMapTestSuiteBuilder.using(new TestStringMapGenerator() {
                    @Override
                    protected Map<String, String> create(Map.Entry<String, String>[] entries) {
                        try {
                            SharedMap<String, String> map = track(SharedMap.builder("map-" + NAMES.incrementAndGet(),
                                    Codecs.string(), Codecs.string()).directory(dir).initialBytes(0).create());
                            for (Map.Entry<String, String> e : entries) {
                                map.put(e.getKey(), e.getValue());
                            }
                            return map;
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                })
                .named("SharedMap")
                .withFeatures(MapFeature.GENERAL_PURPOSE, CollectionFeature.SUPPORTS_ITERATOR_REMOVE,
                        CollectionSize.ANY)
                .withTearDown(CollectionContractTest::closeAllUnchecked)
                .createTestSuite());
    }

    @TestFactory
    DynamicNode sharedListIsAList() {
        return GuavaSuites.toDynamic(ListTestSuiteBuilder.using(new TestStringListGenerator() {
                    @Override
                    protected List<String> create(String[] elements) {
                        try {
                            SharedList<String> list = track(SharedList.builder("list-" + NAMES.incrementAndGet(),
                                    Codecs.string()).directory(dir).initialBytes(0).create());
                            list.addAll(Arrays.asList(elements));
                            return list;
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                })
                .named("SharedList")
                .withFeatures(ListFeature.GENERAL_PURPOSE, CollectionSize.ANY)
                .withTearDown(CollectionContractTest::closeAllUnchecked)
                .createTestSuite());
    }

    private static void closeAllUnchecked() {
        try {
            closeAll();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
