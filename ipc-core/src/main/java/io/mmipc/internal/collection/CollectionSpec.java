package io.mmipc.internal.collection;

import io.mmipc.ObjectFileException;
import io.mmipc.WaitMode;
import io.mmipc.internal.file.ObjectType;
import io.mmipc.internal.file.SharedFile;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.proc.RandomIds;
import io.mmipc.internal.sync.BasicSpec;

import java.util.function.BiFunction;

/**
 * How a map or list file is created and checked on open: one parameter (the bytes of heap segment 0), the
 * control block's initial words, and a size check.
 *
 * @param <T> the handle type built
 */
public final class CollectionSpec<T> extends BasicSpec<T> {
    private final ObjectType type;
    private final long segment0;
    private final BiFunction<SharedFile, WaitMode, T> factory;

    /**
     * @param type     {@link ObjectType#MAP} or {@link ObjectType#LIST}
     * @param segment0 bytes of heap segment 0 at creation (checked by {@link #checkSegment0})
     * @param factory  makes the handle over the open file
     */
    public CollectionSpec(ObjectType type, long segment0, BiFunction<SharedFile, WaitMode, T> factory) {
        super(type, CollectionLayout.VERSION, CollectionLayout.fileSize(segment0));
        this.type = type;
        this.segment0 = segment0;
        this.factory = factory;
    }

    /**
     * Rounds a requested initial size up to a valid segment 0.
     *
     * @throws IllegalArgumentException if it is out of range
     */
    public static long checkSegment0(long bytes) {
        if (bytes < 0 || bytes > CollectionLayout.MAX_SEGMENT_BYTES) {
            throw new IllegalArgumentException("initial bytes out of range [0, " + CollectionLayout.MAX_SEGMENT_BYTES
                    + "]: initialBytes=" + bytes);
        }
        long b = Math.max(bytes, CollectionLayout.MIN_SEGMENT0);
        return Long.highestOneBit(b - 1) << 1;
    }

    @Override
    public long[] params() {
        long[] p = new long[1];
        p[CollectionLayout.P_SEGMENT0] = segment0;
        return p;
    }

    @Override
    public void init(MappedMemory memory) {
        Heap.init(memory, RandomIds.nextLong());
    }

    @Override
    public void validate(SharedFile file) throws ObjectFileException {
        long s0 = file.param(CollectionLayout.P_SEGMENT0);
        SharedFile.check(s0 >= CollectionLayout.MIN_SEGMENT0 && s0 <= CollectionLayout.MAX_SEGMENT_BYTES
                && (s0 & (s0 - 1)) == 0, file.path(), "corrupt " + type.label() + " header: segment0=" + s0);
        SharedFile.check(file.memory().size() == CollectionLayout.fileSize(s0), file.path(), "corrupt " + type.label()
                + " header: size=" + file.memory().size() + ", expected=" + CollectionLayout.fileSize(s0));
        long segments = file.memory().getLongVolatile(CollectionLayout.SEGMENTS);
        SharedFile.check(segments >= 1 && segments <= CollectionLayout.MAX_SEGMENTS, file.path(), "corrupt "
                + type.label() + " control block: segments=" + segments);
    }

    @Override
    public T make(SharedFile file, WaitMode mode) {
        return factory.apply(file, mode);
    }
}
