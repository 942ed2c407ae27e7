package io.mmipc.internal.sync;

import io.mmipc.ObjectFileException;
import io.mmipc.WaitMode;
import io.mmipc.internal.file.ObjectType;
import io.mmipc.internal.file.Registry;
import io.mmipc.internal.file.SharedFile;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.wait.EventCount;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Create, open and open-or-create for the small synchronization and value objects: the part of every
 * builder that does not depend on the object type. A {@link Spec} supplies the rest.
 */
public final class ObjectOpener {
    private ObjectOpener() {
    }

    /**
     * What one object type contributes to creating and opening its file.
     *
     * @param <T> the handle type built
     */
    public interface Spec<T> {
        /** @return the object type recorded in the header */
        ObjectType type();

        /** @return the layout version */
        int version();

        /** @return the layout parameters to record at creation */
        long[] params();

        /** @return the file size at creation */
        long size();

        /** Writes the initial body (before the file is published). */
        void init(MappedMemory memory);

        /** @return what to do when a process's registry entry is released, or null for nothing */
        Registry.DeadEntryHandler reclaimer(WaitMode mode);

        /**
         * Checks an opened file's parameters (and the builder's explicit settings against them).
         *
         * @throws ObjectFileException naming the mismatch in {@code key=value} style
         */
        void validate(SharedFile file) throws ObjectFileException;

        /** Makes the handle over an open file; the file is closed if this throws. */
        T make(SharedFile file, WaitMode mode);
    }

    /**
     * Creates the object.
     *
     * @throws FileAlreadyExistsException if the name is taken
     */
    public static <T> T create(Path path, String label, WaitMode requested, Spec<T> spec) throws IOException {
        WaitMode mode = EventCount.resolve(requested);
        SharedFile file = SharedFile.create(path, label, spec.type(), spec.version(), spec.params(), spec.size(),
                spec::init, spec.reclaimer(mode));
        return make(file, mode, spec);
    }

    /**
     * Opens the object and validates its file.
     *
     * @throws NoSuchFileException  if there is no such object
     * @throws ObjectFileException  if the file is not a valid object of this type, or its parameters differ
     */
    public static <T> T open(Path path, String label, WaitMode requested, Spec<T> spec) throws IOException {
        WaitMode mode = EventCount.resolve(requested);
        SharedFile file;
        try {
            // Validated before attaching: the reclaimer runs only on a file whose header was trusted.
            file = SharedFile.open(path, label, spec.type(), spec.version(), null, spec::validate,
                    spec.reclaimer(mode));
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(path.toString(), null, label + " does not exist");
        }
        return make(file, mode, spec);
    }

    /** Opens the object if it exists, else creates it (racing creators agree on one file). */
    public static <T> T openOrCreate(Path path, String label, WaitMode requested, Spec<T> spec) throws IOException {
        while (true) {
            try {
                return open(path, label, requested, spec);
            } catch (NoSuchFileException e) {
                try {
                    return create(path, label, requested, spec);
                } catch (FileAlreadyExistsException raced) {
                    // someone created it between our open and create: open theirs
                }
            }
        }
    }

    private static <T> T make(SharedFile file, WaitMode mode, Spec<T> spec) {
        try {
            return spec.make(file, mode);
        } catch (RuntimeException | Error e) {
            file.close();
            throw e;
        }
    }
}
