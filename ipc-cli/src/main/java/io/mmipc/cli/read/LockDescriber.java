package io.mmipc.cli.read;

import io.mmipc.internal.sync.LockLayout;

import java.util.List;

/** Locks and reentrant locks: owner, holds, takeovers (see {@link LockLayout}). */
final class LockDescriber implements Describer {
    @Override
    public int version() {
        return LockLayout.VERSION;
    }

    @Override
    public void describe(ObjectFile file, Header header, List<RegistryEntry> registry, Description out) {
        out.body().add("lock", LockBlockReader.read(file, LockLayout.BLOCK, out, true));
    }
}
