package io.mmipc.process;

import io.mmipc.codec.Codec;
import io.mmipc.pipe.PipeConnection;
import io.mmipc.pipe.PipeEnd;
import io.mmipc.pipe.SharedPipe;
import io.mmipc.queue.SharedJoinableQueue;
import io.mmipc.queue.SharedQueue;
import io.mmipc.sync.SharedBarrier;
import io.mmipc.sync.SharedBoundedSemaphore;
import io.mmipc.sync.SharedCondition;
import io.mmipc.sync.SharedEvent;
import io.mmipc.sync.SharedLock;
import io.mmipc.sync.SharedRLock;
import io.mmipc.sync.SharedSemaphore;
import io.mmipc.value.SharedByte;
import io.mmipc.value.SharedByteArray;
import io.mmipc.value.SharedDouble;
import io.mmipc.value.SharedDoubleArray;
import io.mmipc.value.SharedInt;
import io.mmipc.value.SharedIntArray;
import io.mmipc.value.SharedLong;
import io.mmipc.value.SharedLongArray;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The kinds of shared object a handle can be described as and reopened from (see {@link SharedHandles}).
 * Order matters: {@link #of} takes the first kind whose class the handle is an instance of, so the joinable
 * queue comes before the queue.
 */
enum HandleKind {
    JOINABLE_QUEUE(SharedJoinableQueue.class, true, (n, p, c, e) -> SharedJoinableQueue.builder(n, c).path(p).open()),
    QUEUE(SharedQueue.class, true, (n, p, c, e) -> SharedQueue.builder(n, c).path(p).open()),
    PIPE(PipeConnection.class, true, (n, p, c, e) -> SharedPipe.builder(n, c).path(p).open(PipeEnd.valueOf(e))),
    LOCK(SharedLock.class, false, (n, p, c, e) -> SharedLock.builder(n).path(p).open()),
    RLOCK(SharedRLock.class, false, (n, p, c, e) -> SharedRLock.builder(n).path(p).open()),
    BOUNDED_SEMAPHORE(SharedBoundedSemaphore.class, false, (n, p, c, e) -> SharedBoundedSemaphore.builder(n).path(p)
            .open()),
    SEMAPHORE(SharedSemaphore.class, false, (n, p, c, e) -> SharedSemaphore.builder(n).path(p).open()),
    EVENT(SharedEvent.class, false, (n, p, c, e) -> SharedEvent.builder(n).path(p).open()),
    CONDITION(SharedCondition.class, false, (n, p, c, e) -> SharedCondition.builder(n).path(p).open()),
    BARRIER(SharedBarrier.class, false, (n, p, c, e) -> SharedBarrier.builder(n).path(p).open()),
    INT(SharedInt.class, false, (n, p, c, e) -> SharedInt.builder(n).path(p).open()),
    LONG(SharedLong.class, false, (n, p, c, e) -> SharedLong.builder(n).path(p).open()),
    DOUBLE(SharedDouble.class, false, (n, p, c, e) -> SharedDouble.builder(n).path(p).open()),
    BYTE(SharedByte.class, false, (n, p, c, e) -> SharedByte.builder(n).path(p).open()),
    INT_ARRAY(SharedIntArray.class, false, (n, p, c, e) -> SharedIntArray.builder(n).path(p).open()),
    LONG_ARRAY(SharedLongArray.class, false, (n, p, c, e) -> SharedLongArray.builder(n).path(p).open()),
    DOUBLE_ARRAY(SharedDoubleArray.class, false, (n, p, c, e) -> SharedDoubleArray.builder(n).path(p).open()),
    BYTE_ARRAY(SharedByteArray.class, false, (n, p, c, e) -> SharedByteArray.builder(n).path(p).open());

    /** Opens an object of one kind. */
    @FunctionalInterface
    interface Opener {
        AutoCloseable open(String name, Path path, Codec<Object> codec, String end) throws IOException;
    }

    private final Class<?> type;
    private final boolean hasCodec;
    private final Opener opener;

    HandleKind(Class<?> type, boolean hasCodec, Opener opener) {
        this.type = type;
        this.hasCodec = hasCodec;
        this.opener = opener;
    }

    /** @return the kind of {@code handle}, or null if it is not a shared-object handle */
    static HandleKind of(Object handle) {
        for (HandleKind k : values()) {
            if (k.type.isInstance(handle)) {
                return k;
            }
        }
        return null;
    }

    /**
     * @param c a class
     * @return the kind whose handles are {@code c}s, or null; the JDK filters what {@code resolveObject}
     *     returns, and a reopened handle is that (the handle classes are not serializable themselves)
     */
    static HandleKind of(Class<?> c) {
        for (HandleKind k : values()) {
            if (k.type.isAssignableFrom(c)) {
                return k;
            }
        }
        return null;
    }

    /** @return whether handles of this kind carry items through a codec */
    boolean hasCodec() {
        return hasCodec;
    }

    /** @return the handle class */
    Class<?> type() {
        return type;
    }

    /** Opens the object at {@code path}. */
    AutoCloseable open(String name, Path path, Codec<Object> codec, String end) throws IOException {
        return opener.open(name, path, codec, end);
    }
}
