package io.mmipc.queue;

import io.mmipc.ObjectFileException;
import io.mmipc.internal.file.SharedFile;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.ring.MessagePath;
import io.mmipc.internal.ring.QueueLayout;

import java.io.UncheckedIOException;

/**
 * What ends or blocks a queue's calls besides its ring: a closed handle, and the queue's shutdown state
 * (Python 3.13's {@code shutdown}), shared by every process.
 */
final class QueueGate implements MessagePath.Gate<RuntimeException> {
    private final SharedFile file;
    private final MappedMemory memory;
    private final int shutdownOffset;

    QueueGate(SharedFile file, int ringBase) {
        this.file = file;
        this.memory = file.memory();
        this.shutdownOffset = ringBase + QueueLayout.SHUTDOWN;
    }

    /**
     * @return the shutdown state: one of {@code QueueLayout.SHUTDOWN_OPEN, _DRAIN, _IMMEDIATE}
     * @throws UncheckedIOException with an {@link ObjectFileException} if the word holds anything else (a
     *                              corrupt file must not read as "shut down")
     */
    int shutdownState() {
        int state = memory.getIntVolatile(shutdownOffset);
        if (state < QueueLayout.SHUTDOWN_OPEN || state > QueueLayout.SHUTDOWN_IMMEDIATE) {
            throw new UncheckedIOException(new ObjectFileException(file.path(),
                    "corrupt queue: shutdown state=" + state));
        }
        return state;
    }

    /** Raises the shutdown state to {@code target} (never lowers it). */
    void shutdown(int target) {
        int current;
        do {
            current = shutdownState();
        } while (current < target && !memory.compareAndSetInt(shutdownOffset, current, target));
    }

    QueueShutdownException shutdownError() {
        return new QueueShutdownException(file.label() + " is shut down");
    }

    @Override
    public void enter() {
        file.enter();
    }

    @Override
    public void exit() {
        file.exit();
    }

    @Override
    public boolean closed() {
        return file.isClosed();
    }

    @Override
    public boolean refusesSends() {
        return shutdownState() != QueueLayout.SHUTDOWN_OPEN;
    }

    @Override
    public void checkSend() {
        file.ensureOpen();
        if (refusesSends()) {
            throw shutdownError();
        }
    }

    @Override
    public void checkReceive() {
        file.ensureOpen();
        if (shutdownState() == QueueLayout.SHUTDOWN_IMMEDIATE) {
            throw shutdownError();
        }
    }

    @Override
    public boolean ended() {
        return shutdownState() != QueueLayout.SHUTDOWN_OPEN;
    }

    @Override
    public RuntimeException endOfStream() {
        return shutdownError();
    }
}
