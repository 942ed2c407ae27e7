package io.mmipc.internal.sync;

import io.mmipc.internal.file.SharedFile;
import io.mmipc.sync.SharedRLock;

import java.util.function.BiFunction;

/**
 * Lets other mmipc packages (shared values and arrays) hand out the {@link SharedRLock} embedded in their
 * file without a public constructor on it: {@code SharedRLock} registers its factory here when its class
 * is initialised.
 */
public final class EmbeddedLocks {
    private static volatile BiFunction<SharedFile, LockCore, SharedRLock> factory;

    private EmbeddedLocks() {
    }

    /** Called once by {@link SharedRLock}'s static initialiser. */
    public static void register(BiFunction<SharedFile, LockCore, SharedRLock> rlockFactory) {
        factory = rlockFactory;
    }

    /**
     * @param file the owning object's open file (the handle is closed with it)
     * @param core a reentrant lock block in that file
     * @return a handle on the embedded rlock
     */
    public static SharedRLock rlock(SharedFile file, LockCore core) {
        if (!core.reentrant()) {
            throw new IllegalArgumentException("an rlock needs a reentrant core: " + core.label());
        }
        if (factory == null) {
            try {
                Class.forName(SharedRLock.class.getName(), true, SharedRLock.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new AssertionError(e);
            }
        }
        return factory.apply(file, core);
    }
}
