package io.mmipc.cli;

import io.mmipc.internal.file.Directories;

import java.nio.file.Path;

/** Turns a command-line NAME into a file: an object name in the folder, or a path to an object file. */
final class ObjectName {
    private ObjectName() {
    }

    /**
     * @param dir  the objects folder
     * @param name an object name, or a path containing '/' or ending in {@code .mmipc}
     * @return the file
     * @throws IllegalArgumentException if the name is not a valid object name
     */
    static Path resolve(Path dir, String name) {
        if (name.contains("/")) {
            return Path.of(name);
        }
        if (name.endsWith(Directories.SUFFIX)) {
            return dir.resolve(name);
        }
        return Directories.objectPath(dir, name);
    }
}
