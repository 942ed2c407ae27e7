package io.mmipc.bench.sync;

import io.mmipc.sync.LockHold;
import io.mmipc.sync.SharedLock;
import io.mmipc.sync.SharedRLock;
import io.mmipc.value.SharedLong;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One measured operation of the synchronization benchmarks, on objects in a folder that the benchmark
 * process creates ({@link #create}) and the peer process opens ({@link #open}). Each process has its own
 * handles (and, for the file-lock baseline, its own {@link FileChannel}: fcntl locks are per process).
 */
public interface SyncOp extends AutoCloseable {
    /** Performs the operation once. */
    void run() throws IOException;

    @Override
    void close() throws IOException;

    /** The operations, by {@code @Param} name. */
    enum Kind {
        /** {@link SharedLock}: {@code lock()} then {@code unlock()}. */
        MMIPC_LOCK,
        /** {@link SharedRLock}: {@code lock()} then {@code unlock()}. */
        MMIPC_RLOCK,
        /** {@link FileChannel#lock()} on a file in /dev/shm, then {@link FileLock#release()}: the baseline. */
        FILE_LOCK,
        /** {@link SharedLong#incrementAndGet()}: one atomic add on the mapped word. */
        COUNTER_ATOMIC,
        /** {@code counter.set(counter.get() + 1)} under the value's own lock ({@code getLock().hold()}). */
        COUNTER_MMIPC_LOCK,
        /** The same increment of a long in a mapped file under {@link FileChannel#lock()}: the baseline. */
        COUNTER_FILE_LOCK
    }

    /** Creates the objects {@code kind} needs in {@code dir} and returns this process's operation. */
    static SyncOp create(Kind kind, Path dir) throws IOException {
        switch (kind) {
            case MMIPC_LOCK: {
                SharedLock l = SharedLock.builder("lock").directory(dir).create();
                return lockOp(l, l::close);
            }
            case MMIPC_RLOCK: {
                SharedRLock l = SharedRLock.builder("rlock").directory(dir).create();
                return lockOp(l, l::close);
            }
            case COUNTER_ATOMIC:
            case COUNTER_MMIPC_LOCK:
                return counterOp(kind, SharedLong.builder("counter").directory(dir).create());
            default:
                return fileOp(kind, dir, true);
        }
    }

    /** Opens the objects {@link #create} made, from another process. */
    static SyncOp open(Kind kind, Path dir) throws IOException {
        switch (kind) {
            case MMIPC_LOCK: {
                SharedLock l = SharedLock.builder("lock").directory(dir).open();
                return lockOp(l, l::close);
            }
            case MMIPC_RLOCK: {
                SharedRLock l = SharedRLock.builder("rlock").directory(dir).open();
                return lockOp(l, l::close);
            }
            case COUNTER_ATOMIC:
            case COUNTER_MMIPC_LOCK:
                return counterOp(kind, SharedLong.builder("counter").directory(dir).open());
            default:
                return fileOp(kind, dir, false);
        }
    }

    private static SyncOp lockOp(java.util.concurrent.locks.Lock lock, Runnable closer) {
        return new SyncOp() {
            @Override
            public void run() {
                lock.lock();
                lock.unlock();
            }

            @Override
            public void close() {
                closer.run();
            }
        };
    }

    private static SyncOp counterOp(Kind kind, SharedLong counter) {
        boolean atomic = kind == Kind.COUNTER_ATOMIC;
        return new SyncOp() {
            @Override
            public void run() {
                if (atomic) {
                    counter.incrementAndGet();
                } else {
                    try (LockHold h = counter.getLock().hold()) {
                        counter.set(counter.get() + 1);
                    }
                }
            }

            @Override
            public void close() {
                counter.close();
            }
        };
    }

    private static SyncOp fileOp(Kind kind, Path dir, boolean create) throws IOException {
        Path file = dir.resolve("file-lock.bin");
        FileChannel channel = create
                ? FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        MappedByteBuffer word = channel.map(FileChannel.MapMode.READ_WRITE, 0, 8);
        word.order(ByteOrder.nativeOrder());
        boolean counter = kind == Kind.COUNTER_FILE_LOCK;
        return new SyncOp() {
            @Override
            public void run() throws IOException {
                FileLock held = channel.lock();
                try {
                    if (counter) {
                        word.putLong(0, word.getLong(0) + 1);
                    }
                } finally {
                    held.release();
                }
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }
}
