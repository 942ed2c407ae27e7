package io.mmipc.collection;

import io.mmipc.internal.file.SharedFile;
import io.mmipc.internal.log.Log;

import java.lang.System.Logger.Level;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** What the map and list handles share but cannot inherit (one extends AbstractMap, the other AbstractList). */
final class Handles {
    private Handles() {
    }

    static long repairs(SharedFile file, LongSupplier count) {
        file.enter();
        try {
            return count.getAsLong();
        } finally {
            file.exit();
        }
    }

    /**
     * Closes a handle after giving its spare heap blocks back ({@code giveBack}); a failure there is logged
     * and the handle closes anyway (the blocks come back at the next repair).
     */
    static void close(SharedFile file, Runnable giveBack) {
        if (file.isClosed()) {
            return;
        }
        try {
            file.enter();
            try {
                giveBack.run();
            } finally {
                file.exit();
            }
        } catch (RuntimeException e) {
            if (!file.isClosed()) {
                Log.FILE.log(Level.WARNING, file.label() + ": could not give spare blocks back on close", e);
            }
        }
        file.close();
    }

    static String describe(SharedFile file, Supplier<String> contents) {
        if (file.isClosed()) {
            return file.label() + " [closed]";
        }
        return contents.get();
    }
}
