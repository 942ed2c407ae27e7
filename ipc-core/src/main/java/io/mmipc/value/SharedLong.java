package io.mmipc.value;

import io.mmipc.WaitMode;
import io.mmipc.internal.file.SharedFile;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.sync.ValueLayout;

import java.io.IOException;
import java.util.function.LongUnaryOperator;

/**
 * Python's {@code multiprocessing.Value('q')} (and {@code 'l'} on 64-bit Linux) for Java: a {@code long}
 * shared by processes, with {@link java.util.concurrent.atomic.AtomicLong}'s operations and, unless
 * created with {@code lock(false)}, its own reentrant lock ({@link #getLock()}) for compound updates.
 * Reads and writes are volatile; the atomic methods need no lock.
 *
 * <pre>{@code
 * try (SharedLong counter = SharedLong.builder("counter").initialValue(100).openOrCreate()) {
 *     counter.decrementAndGet();                          // atomic, no lock needed
 *     try (LockHold h = counter.getLock().hold()) {       // Python: with counter.get_lock():
 *         counter.set(counter.get() - 1);                 //             counter.value -= 1
 *     }
 * }
 * }</pre>
 *
 * Layout: see {@code io.mmipc.internal.sync.ValueLayout}.
 */
public final class SharedLong extends ValueHandle {
    private static final long AT = ValueLayout.DATA;

    private SharedLong(SharedFile file, WaitMode mode) {
        super(file, mode);
    }

    /**
     * Starts building a value named {@code name}: then {@code initialValue(v)} and {@code create()},
     * {@code open()} or {@code openOrCreate()}.
     *
     * @param name the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @return the builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Creates a value (with a lock) holding {@code initialValue} in the default folder.
     *
     * @param name the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @param initialValue the value at creation
     * @return a handle on the new value
     * @throws IOException if the file cannot be created or mapped ({@link java.nio.file.FileAlreadyExistsException} if
     *                     the name is taken)
     */
    public static SharedLong create(String name, long initialValue) throws IOException {
        return builder(name).initialValue(initialValue).create();
    }

    /**
     * Opens an existing value in the default folder.
     *
     * @param name the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @return a handle on the value
     * @throws IOException if the file cannot be opened or mapped, or is not such an object ({@link
     *                     java.nio.file.NoSuchFileException} if there is none)
     */
    public static SharedLong open(String name) throws IOException {
        return builder(name).open();
    }

    private long at() {
        return AT;
    }

    /** {@return the value (Python's {@code .value})} */
    public long get() {
        file.enter();
        try {
            return memory.getLongVolatile(at());
        } finally {
            file.exit();
        }
    }

    /**
     * Sets the value (Python's {@code .value = v}).
     *
     * @param value the new value
     */
    public void set(long value) {
        file.enter();
        try {
            memory.putLongVolatile(at(), value);
        } finally {
            file.exit();
        }
    }

    /**
     * Sets the value and returns the old one, atomically.
     *
     * @param value the new value
     * @return the old value
     */
    public long getAndSet(long value) {
        file.enter();
        try {
            long at = at();
            long v;
            do {
                v = memory.getLongVolatile(at);
            } while (!memory.compareAndSetLong(at, v, value));
            return v;
        } finally {
            file.exit();
        }
    }

    /**
     * Sets the value to {@code value} if it is {@code expected}, atomically; true if it did.
     *
     * @param expected the value it must hold now
     * @param value the value to store
     * @return true if it was set, false if it held another value
     */
    public boolean compareAndSet(long expected, long value) {
        file.enter();
        try {
            return memory.compareAndSetLong(at(), expected, value);
        } finally {
            file.exit();
        }
    }

    /**
     * Adds {@code delta} atomically; returns the old value.
     *
     * @param delta the amount to add (negative to subtract)
     * @return the old value
     */
    public long getAndAdd(long delta) {
        file.enter();
        try {
            return memory.getAndAddLong(at(), delta);
        } finally {
            file.exit();
        }
    }

    /**
     * Adds {@code delta} atomically; returns the new value.
     *
     * @param delta the amount to add (negative to subtract)
     * @return the new value
     */
    public long addAndGet(long delta) {
        file.enter();
        try {
            return memory.getAndAddLong(at(), delta) + delta;
        } finally {
            file.exit();
        }
    }

    /**
     * Adds one atomically; returns the new value.
     *
     * @return the new value
     */
    public long incrementAndGet() {
        return addAndGet(1);
    }

    /**
     * Subtracts one atomically; returns the new value.
     *
     * @return the new value
     */
    public long decrementAndGet() {
        return addAndGet(-1);
    }

    /**
     * Applies {@code update} atomically (retrying if another writer got in between); returns the new value.
     *
     * @param update a side-effect-free function of the current value (it may run more than once)
     * @return the new value
     */
    public long updateAndGet(LongUnaryOperator update) {
        file.enter();
        try {
            long at = at();
            long v;
            long next;
            do {
                v = memory.getLongVolatile(at);
                next = update.applyAsLong(v);
            } while (!memory.compareAndSetLong(at, v, next));
            return next;
        } finally {
            file.exit();
        }
    }

    @Override
    public String toString() {
        return describe("[" + (file.isClosed() ? "" : String.valueOf(get())) + "]");
    }

    /** Builds a {@link SharedLong}: its initial value, plus the settings of {@link ValueBuilder}. */
    public static final class Builder extends ValueBuilder<SharedLong, Builder> {
        private long initial;

        Builder(String name) {
            super(name, ValueLayout.LONG, false, SharedLong::new);
        }

        /**
         * The value at creation (default 0); ignored on open.
         *
         * @param value the value at creation
         * @return this builder
         */
        public Builder initialValue(long value) {
            this.initial = value;
            return this;
        }

        @Override
        int createLength() {
            return 1;
        }

        @Override
        int requestedLength() {
            return -1;
        }

        @Override
        void init(MappedMemory memory) {
            memory.putLong(ValueLayout.DATA, initial);
        }
    }
}
