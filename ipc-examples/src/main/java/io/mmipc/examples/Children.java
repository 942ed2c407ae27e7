package io.mmipc.examples;

import io.mmipc.process.Launcher;
import io.mmipc.process.SharedProcess;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The child processes an example started: {@link #close()} kills those still running, so an example that
 * fails half-way (an exception, a failed check) leaves no process behind, even when it runs inside a test JVM
 * that goes on. Children that ended normally are unaffected.
 */
public final class Children implements AutoCloseable {
    private final List<SharedProcess<?>> started = new ArrayList<>();

    /**
     * Starts a child JVM through mmipc's one launcher: it gets this JVM's class path and {@code mmipc.*}
     * properties (so {@code -Dmmipc.dir=...} reaches it), the small-footprint {@link Examples#CHILD_OPTIONS},
     * and, being a daemon, cannot outlive this JVM.
     *
     * @param launcher from {@code SharedProcess.builder(...)}
     * @param name     the process's name in messages
     * @param <R>      the task's result type
     * @return the running child
     * @throws IOException if it cannot be started
     */
    public <R> SharedProcess<R> start(Launcher<R> launcher, String name) throws IOException {
        SharedProcess<R> p = launcher.name(name).jvmOptions(Examples.CHILD_OPTIONS).start();
        started.add(p);
        return p;
    }

    /** Kills every child still running and waits for it; a child that ended is only tidied up. */
    @Override
    public void close() {
        for (SharedProcess<?> p : started) {
            p.close();
        }
    }
}
