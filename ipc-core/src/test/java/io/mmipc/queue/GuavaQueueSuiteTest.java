package io.mmipc.queue;

import com.google.common.collect.testing.QueueTestSuiteBuilder;
import com.google.common.collect.testing.SampleElements;
import com.google.common.collect.testing.TestQueueGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import io.mmipc.codec.Codecs;
import io.mmipc.testing.TestDirs;
import junit.framework.TestCase;
import junit.framework.TestSuite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * guava-testlib's public {@code Queue}/{@code Collection} contract suite ({@link QueueTestSuiteBuilder}, every
 * applicable feature: general purpose, known order, null queries, any size) over every configuration of
 * {@link QueueConfig#all()}, plus the tiny ring with messages that all go through side files. The JUnit 3
 * suite is handed to JUnit 5 as dynamic tests, one container per configuration, each case with a timeout.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GuavaQueueSuiteTest {
    private static final Duration CASE_TIMEOUT = Duration.ofSeconds(60);
    private static final List<Path> DIRS = Collections.synchronizedList(new ArrayList<>());

    @AfterAll
    static void deleteDirs() throws Exception {
        for (Path dir : DIRS) {
            TestDirs.delete(dir);
        }
    }

    @TestFactory
    List<DynamicNode> guavaQueueSuiteOnEveryConfiguration() throws Exception {
        List<DynamicNode> out = new ArrayList<>();
        for (QueueConfig c : QueueConfig.all()) {
            out.add(suite(c, c.name, strings("a", "b", "c", "d", "e")));
        }
        // Every sample is larger than the tiny ring's largest inline message: each one is a side file.
        QueueConfig tiny = QueueConfig.all().get(0);
        String pad = "x".repeat(tiny.maxInline() + 1);
        out.add(suite(tiny, tiny.name + "+side-files", strings(pad + "a", pad + "b", pad + "c", pad + "d", pad + "e")));
        return out;
    }

    private static SampleElements<String> strings(String... five) {
        return new SampleElements<>(five[0], five[1], five[2], five[3], five[4]);
    }

    private static DynamicNode suite(QueueConfig config, String name, SampleElements<String> samples) throws Exception {
        Path dir = TestDirs.create("guava");
        DIRS.add(dir);
        Generator generator = new Generator(config, dir, samples);
        junit.framework.Test suite = QueueTestSuiteBuilder.using(generator)
                .named(name.replace('(', '[').replace(')', ']'))
                .withFeatures(CollectionFeature.GENERAL_PURPOSE, CollectionFeature.KNOWN_ORDER,
                        CollectionFeature.ALLOWS_NULL_QUERIES, CollectionSize.ANY)
                .withTearDown(generator::closeAll)
                .createTestSuite();
        return toDynamic(suite);
    }

    /** A JUnit 3 test tree as JUnit 5 dynamic nodes; each case runs bare (set-up, test, tear-down). */
    static DynamicNode toDynamic(junit.framework.Test test) {
        if (test instanceof TestSuite) {
            TestSuite suite = (TestSuite) test;
            List<DynamicNode> children = new ArrayList<>();
            for (int i = 0; i < suite.testCount(); i++) {
                children.add(toDynamic(suite.testAt(i)));
            }
            return DynamicContainer.dynamicContainer(suite.getName(), children);
        }
        TestCase testCase = (TestCase) test;
        return DynamicTest.dynamicTest(testCase.getName(),
                () -> assertTimeoutPreemptively(CASE_TIMEOUT, testCase::runBare, testCase::getName));
    }

    /** Makes each case's queue: a new {@link SharedQueue} of strings in the configuration, closed after the case. */
    private static final class Generator implements TestQueueGenerator<String> {
        private static final AtomicInteger NAMES = new AtomicInteger();
        private final QueueConfig config;
        private final Path dir;
        private final SampleElements<String> samples;
        private final List<SharedQueue<String>> open = Collections.synchronizedList(new ArrayList<>());

        Generator(QueueConfig config, Path dir, SampleElements<String> samples) {
            this.config = config;
            this.dir = dir;
            this.samples = samples;
        }

        @Override
        public SampleElements<String> samples() {
            return samples;
        }

        @Override
        public Queue<String> create(Object... elements) {
            try {
                SharedQueue<String> q = config.create(dir, "g" + NAMES.incrementAndGet(), Codecs.string());
                open.add(q);
                for (Object e : elements) {
                    q.add((String) e);
                }
                return q;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public String[] createArray(int length) {
            return new String[length];
        }

        @Override
        public Iterable<String> order(List<String> insertionOrder) {
            return insertionOrder;
        }

        void closeAll() {
            synchronized (open) {
                for (SharedQueue<String> q : open) {
                    q.close();
                    try {
                        q.unlink();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
                open.clear();
            }
        }
    }
}
