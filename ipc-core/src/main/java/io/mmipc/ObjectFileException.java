package io.mmipc;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that cannot be opened as the shared object asked for: foreign, truncated, corrupt, of another
 * object type, of another layout version, or with parameters that do not match. The message names the
 * file and the problem.
 */
public class ObjectFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /**
     * Creates the exception; its message starts with the file.
     *
     * @param file    the file concerned
     * @param problem what is wrong, in {@code key=value} style where it helps
     */
    public ObjectFileException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    /** {@return the file concerned} */
    public Path file() {
        return file;
    }
}
