package io.mmipc.internal.collection;

import io.mmipc.WaitMode;
import io.mmipc.internal.file.SharedFile;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.proc.ProcessIdentity;
import io.mmipc.internal.sync.LockLayout;
import io.mmipc.internal.sync.RobustMutex;
import io.mmipc.internal.wait.EventCount;

import java.util.function.Supplier;

/**
 * What a map and a list share: the file, the heap, the writers' robust lock, the repair a writer runs when it
 * takes the lock over from a dead one, and the retry loop of lock-free reads.
 */
abstract class HeapStore {
    /** Lock-free read attempts before a reader falls back to reading under the lock (progress under churn). */
    private static final int OPTIMISTIC_TRIES = 200;
    /** Longest single wait for the lock before re-checking whether the handle was closed. */
    private static final long LOCK_CHUNK_NANOS = 10_000_000L;

    /** How long a lock owner seen alive is taken to be alive (reading /proc on every size() would cost more). */
    private static final long LIVENESS_CACHE_NANOS = 1_000_000L;

    final SharedFile file;
    final Heap heap;
    final MappedMemory control;
    /** Offset of this stripe's control block in {@link #control}: every control word is {@code ctl + WORD}. */
    final int ctl;
    /**
     * The writers' lock: the word and event of a lock block ({@link LockLayout}); a process-level robust mutex
     * (threads of one process exclude each other through it too, as its owner token is the process's).
     * No user code runs while it is held, so neither reentrancy nor thread ownership is needed.
     */
    private final RobustMutex lock;
    private volatile long aliveOwner;
    private volatile long aliveSince;

    HeapStore(SharedFile file, WaitMode mode, int stripe) {
        this.file = file;
        this.heap = new Heap(file, stripe);
        this.control = file.memory();
        this.ctl = heap.ctl();
        int lockBlock = ctl + CollectionLayout.LOCK;
        this.lock = new RobustMutex(control, lockBlock + LockLayout.OWNER,
                new EventCount(control, lockBlock + LockLayout.RELEASED_EVENT, mode),
                file.label() + (file.param(CollectionLayout.P_STRIPES) == 1 ? " lock" : " stripe " + stripe + " lock"));
    }

    /** @return how messages name the object */
    final String label() {
        return file.label();
    }

    /**
     * Takes the writers' lock; if its owner died holding it, repairs first. Waits uninterruptibly (the
     * interrupt status is kept), leaving with the closed error if the handle is closed meanwhile.
     */
    final void lock() {
        // The uncontended case takes one CAS and reads no clock.
        int first = lock.tryAcquire();
        if (first == RobustMutex.ACQUIRED) {
            return;
        }
        if (first == RobustMutex.ACQUIRED_FROM_DEAD) {
            repairHeld();
            return;
        }
        boolean interrupted = false;
        try {
            while (true) {
                int r;
                try {
                    r = lock.acquire(System.nanoTime() + LOCK_CHUNK_NANOS);
                } catch (InterruptedException e) {
                    interrupted = true;
                    continue;
                }
                if (r == RobustMutex.ACQUIRED_FROM_DEAD) {
                    repairHeld();
                    return;
                }
                if (r == RobustMutex.ACQUIRED) {
                    return;
                }
                if (file.isClosed()) {
                    throw file.closedError();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    final void unlock() {
        lock.release();
    }

    private void repairHeld() {
        try {
            LiveBlocks live = new LiveBlocks();
            collectLive(live);
            heap.rebuild(live);
            afterRebuild();
            control.getAndAddLong(ctl + CollectionLayout.REPAIRS, 1);
        } catch (RuntimeException | Error e) {
            unlock();
            throw e;
        }
    }

    /**
     * Gives this handle's spare blocks back to the shared free lists (see {@link SpareBlocks}); for a handle
     * about to close. Takes the writers' lock only if there are spares.
     */
    public final void returnSpares() {
        // NOTE: read without the lock: a thread of this process writing meanwhile keeps spares only under it,
        // and a spare missed here is only kept from reuse until the next repair.
        if (!heap.hasSpares()) {
            return;
        }
        lock();
        try {
            heap.returnSpares();
        } finally {
            unlock();
        }
    }

    /** @return how many times a writer repaired after a dead writer (diagnostics, tests) */
    public final long repairCount() {
        return control.getLongVolatile(ctl + CollectionLayout.REPAIRS);
    }

    /**
     * Removes the object's name and its heap segment files.
     *
     * @throws java.io.IOException if a file cannot be removed
     */
    public final void unlink() throws java.io.IOException {
        file.unlink();
        heap.unlinkSegments();
    }

    /**
     * Whether the writers' lock is held by a process that died (so counters may be stale until repaired). An
     * owner seen alive is not checked again for a millisecond.
     */
    final boolean ownerDead() {
        long owner = lock.owner();
        if (owner == 0 || owner == ProcessIdentity.self()) {
            return false;
        }
        long now = System.nanoTime();
        // NOTE: benign race on the two fields: at worst one extra /proc read.
        if (owner == aliveOwner && now - aliveSince < LIVENESS_CACHE_NANOS) {
            return false;
        }
        if (ProcessIdentity.isAlive(owner)) {
            aliveOwner = owner;
            aliveSince = now;
            return false;
        }
        return true;
    }

    /**
     * Reads the entry block of ref word {@code r} (lock-free: validated against its stamp, {@link Heap#RETRY}
     * if it changed). With a key given, returns {@link StoredEntry#NO_MATCH} if the block holds another key.
     */
    final StoredEntry readEntry(long r, byte[] key) {
        long h = CollectionLayout.offset(r);
        long stamp = heap.stampFor(r);
        int keyLength = heap.readInt(h + CollectionLayout.B_KEY_LENGTH);
        int valueLength = heap.readInt(h + CollectionLayout.B_VALUE_LENGTH);
        long bytes = heap.readInt(h + CollectionLayout.B_BYTES) & 0xFFFF_FFFFL;
        if (keyLength < 0 || valueLength < 0 || CollectionLayout.B_DATA + (long) keyLength + valueLength > bytes) {
            throw Heap.RETRY;
        }
        if (key != null && keyLength != key.length) {
            heap.validate(r, stamp);
            return StoredEntry.NO_MATCH;
        }
        byte[] k = keyLength == 0 ? StoredEntry.NO_BYTES : new byte[keyLength];
        heap.readBytes(h + CollectionLayout.B_DATA, k, keyLength);
        if (key != null && !java.util.Arrays.equals(k, key)) {
            heap.validate(r, stamp);
            return StoredEntry.NO_MATCH;
        }
        byte[] v = new byte[valueLength];
        heap.readBytes(h + CollectionLayout.B_DATA + keyLength, v, valueLength);
        heap.validate(r, stamp);
        return new StoredEntry(r, key != null ? key : k, v);
    }

    /**
     * The entry at {@code r}, for the lock holder, whose key it already compared equal to {@code key}: no
     * block can change under the lock, so neither the stamp nor the key is read again; only the value is
     * copied. Lengths are checked against the block as {@link #readEntry} checks them.
     */
    final StoredEntry readLocked(long r, byte[] key) {
        long h = CollectionLayout.offset(r);
        int keyLength = heap.getInt(h + CollectionLayout.B_KEY_LENGTH);
        int valueLength = heap.getInt(h + CollectionLayout.B_VALUE_LENGTH);
        long bytes = heap.getInt(h + CollectionLayout.B_BYTES) & 0xFFFF_FFFFL;
        if (keyLength != key.length || valueLength < 0
                || CollectionLayout.B_DATA + (long) keyLength + valueLength > bytes) {
            return readEntry(r, key);
        }
        byte[] v = new byte[valueLength];
        heap.getBytes(h + CollectionLayout.B_DATA + keyLength, v, valueLength);
        return new StoredEntry(r, key, v);
    }

    /** Writes a new entry block and seals it; returns its ref word (lock held; not yet published). */
    final long writeEntry(byte[] key, long hash, byte[] value) {
        long h = heap.allocate((long) CollectionLayout.B_DATA + key.length + value.length, CollectionLayout.KIND_ENTRY);
        heap.putInt(h + CollectionLayout.B_KEY_LENGTH, key.length);
        heap.putInt(h + CollectionLayout.B_VALUE_LENGTH, value.length);
        heap.putLong(h + CollectionLayout.B_HASH, hash);
        heap.putBytes(h + CollectionLayout.B_DATA, key, key.length);
        heap.putBytes(h + CollectionLayout.B_DATA + key.length, value, value.length);
        return heap.seal(h);
    }

    /** Adds the heap offset of every published block (index and entries); lock held, no reader retries. */
    abstract void collectLive(LiveBlocks live);

    /** Recomputes counters from the published index after a rebuild; lock held. */
    abstract void afterRebuild();

    /**
     * Runs a lock-free read, retrying when it raced with a writer ({@link Heap#RETRY}); after many failed
     * tries, runs it under the lock, where it cannot race.
     */
    final <T> T read(Supplier<T> attempt) {
        for (int i = 0; i < OPTIMISTIC_TRIES; i++) {
            try {
                return attempt.get();
            } catch (RuntimeException e) {
                if (e != Heap.RETRY) {
                    throw e;
                }
                Thread.onSpinWait();
            }
        }
        lock();
        try {
            return attempt.get();
        } catch (RuntimeException e) {
            if (e == Heap.RETRY) {
                throw new IllegalStateException(label() + " is corrupt: a read under the lock found an impossible "
                        + "block (" + file.path() + ")");
            }
            throw e;
        } finally {
            unlock();
        }
    }
}
