package io.mmipc.collection;

import junit.framework.Test;
import junit.framework.TestCase;
import junit.framework.TestFailure;
import junit.framework.TestResult;
import junit.framework.TestSuite;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Runs guava-testlib's JUnit 3 suites as JUnit 5 dynamic tests (no vintage engine needed). */
final class GuavaSuites {
    private GuavaSuites() {
    }

    /** @return the suite as a tree of dynamic containers and tests */
    static DynamicNode toDynamic(Test test) {
        if (test instanceof TestSuite) {
            TestSuite suite = (TestSuite) test;
            List<DynamicNode> children = new ArrayList<>();
            for (Test t : Collections.list(suite.tests())) {
                children.add(toDynamic(t));
            }
            return DynamicContainer.dynamicContainer(String.valueOf(suite.getName()), children);
        }
        String name = test instanceof TestCase ? ((TestCase) test).getName() : test.toString();
        return DynamicTest.dynamicTest(name, () -> {
            TestResult result = new TestResult();
            test.run(result);
            for (TestFailure f : Collections.list(result.errors())) {
                throw new AssertionError(f.toString(), f.thrownException());
            }
            for (TestFailure f : Collections.list(result.failures())) {
                throw new AssertionError(f.toString(), f.thrownException());
            }
        });
    }
}
