package io.mmipc.collection;

import io.mmipc.internal.file.SharedFile;

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

    static String describe(SharedFile file, Supplier<String> contents) {
        if (file.isClosed()) {
            return file.label() + " [closed]";
        }
        return contents.get();
    }
}
