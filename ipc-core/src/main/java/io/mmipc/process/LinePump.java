package io.mmipc.process;

import io.mmipc.internal.log.Log;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Copies a child's stdout or stderr to a consumer line by line as it arrives, until end-of-file (which comes
 * when the child dies, however it dies, so the last lines are never lost). A last line without a newline is
 * delivered too.
 */
final class LinePump {
    private LinePump() {
    }

    /** Starts a daemon thread pumping {@code in} to {@code sink}; returns it (join it to wait for the end). */
    static Thread start(InputStream in, Consumer<String> sink, String threadName) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    try {
                        sink.accept(line);
                    } catch (RuntimeException e) {
                        Log.PROCESS.log(Level.WARNING, threadName + ": output consumer failed; the line is dropped", e);
                    }
                }
            } catch (IOException e) {
                // the stream closed under us: the child is gone
            }
        }, threadName);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
