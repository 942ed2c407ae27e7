package io.mmipc.internal.sync;

import io.mmipc.ObjectFileException;
import io.mmipc.WaitMode;
import io.mmipc.internal.file.ObjectType;
import io.mmipc.internal.file.Registry;
import io.mmipc.internal.file.SharedFile;
import io.mmipc.internal.mem.MappedMemory;

/**
 * A {@link ObjectOpener.Spec} with the common defaults: no layout parameters, a zeroed body, no registry
 * handler, nothing to validate beyond the header. Types override what they need.
 *
 * @param <T> the handle type built
 */
public abstract class BasicSpec<T> implements ObjectOpener.Spec<T> {
    private final ObjectType type;
    private final int version;
    private final long size;

    /**
     * @param type    the object type
     * @param version its layout version
     * @param size    the file size at creation
     */
    protected BasicSpec(ObjectType type, int version, long size) {
        this.type = type;
        this.version = version;
        this.size = size;
    }

    @Override
    public ObjectType type() {
        return type;
    }

    @Override
    public int version() {
        return version;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public long[] params() {
        return new long[0];
    }

    @Override
    public void init(MappedMemory memory) {
        // the body starts zeroed
    }

    @Override
    public Registry.DeadEntryHandler reclaimer(WaitMode mode) {
        return null;
    }

    @Override
    public void validate(SharedFile file) throws ObjectFileException {
        SharedFile.check(file.memory().size() == size, file.path(),
                "corrupt " + type.label() + " header: size=" + file.memory().size() + ", expected=" + size);
    }
}
