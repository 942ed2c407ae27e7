package io.mmipc.sync;

import io.mmipc.testing.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class SharedEventTest {
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestDirs.create("event");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestDirs.delete(dir);
    }

    @Test
    void setWakesWaitersAndClearResets() throws Exception {
        try (SharedEvent a = SharedEvent.builder("e").directory(dir).create();
             SharedEvent b = SharedEvent.builder("e").directory(dir).open()) {
            assertFalse(a.isSet());
            assertFalse(b.await(Duration.ofMillis(30)));
            CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
                try {
                    return b.await(Duration.ofSeconds(10));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(50);
            assertFalse(waiter.isDone());
            a.set();
            assertTrue(waiter.get(10, TimeUnit.SECONDS));
            assertTrue(b.isSet());
            assertTrue(b.await(), "returns at once while set");
            a.clear();
            assertFalse(b.isSet());
            assertFalse(b.await(Duration.ZERO));
        }
    }

    @Test
    void waitIsInterruptible() throws Exception {
        try (SharedEvent e = SharedEvent.builder("i").directory(dir).create()) {
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, e::await);
        }
    }
}
