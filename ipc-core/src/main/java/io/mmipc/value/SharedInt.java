package io.mmipc.value;

import io.mmipc.WaitMode;
import io.mmipc.internal.file.SharedFile;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.sync.ValueLayout;

import java.io.IOException;
import java.util.function.IntUnaryOperator;

/**
 * Python's {@code multiprocessing.Value('i')} for Java: an {@code int}
 * shared by processes, with {@link java.util.concurrent.atomic.AtomicInteger}'s operations and, unless
 * created with {@code lock(false)}, its own reentrant lock ({@link #getLock()}) for compound updates.
 * Reads and writes are volatile; the atomic methods need no lock.
 *
 * <pre>{@code
 * try (SharedInt counter = SharedInt.builder("counter").initialValue(100).openOrCreate()) {
 *     counter.decrementAndGet();                          // atomic, no lock needed
 *     try (LockHold h = counter.getLock().hold()) {       // Python: with counter.get_lock():
 *         counter.set(counter.get() - 1);                 //             counter.value -= 1
 *     }
 * }
 * }</pre>
 *
 * Layout: see {@code io.mmipc.internal.sync.ValueLayout}.
 */
public final class SharedInt extends ValueHandle {
    private static final long AT = ValueLayout.DATA;

    private SharedInt(SharedFile file, WaitMode mode) {
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
    public static SharedInt create(String name, int initialValue) throws IOException {
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
    public static SharedInt open(String name) throws IOException {
        return builder(name).open();
    }

    private long at() {
        return AT;
    }

    /** {@return the value (Python's {@code .value})} */
    public int get() {
        file.enter();
        try {
            return memory.getIntVolatile(at());
        } finally {
            file.exit();
        }
    }

    /**
     * Sets the value (Python's {@code .value = v}).
     *
     * @param value the new value
     */
    public void set(int value) {
        file.enter();
        try {
            memory.putIntVolatile(at(), value);
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
    public int getAndSet(int value) {
        file.enter();
        try {
            long at = at();
            int v;
            do {
                v = memory.getIntVolatile(at);
            } while (!memory.compareAndSetInt(at, v, value));
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
    public boolean compareAndSet(int expected, int value) {
        file.enter();
        try {
            return memory.compareAndSetInt(at(), expected, value);
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
    public int getAndAdd(int delta) {
        file.enter();
        try {
            return memory.getAndAddInt(at(), delta);
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
    public int addAndGet(int delta) {
        file.enter();
        try {
            return memory.getAndAddInt(at(), delta) + delta;
        } finally {
            file.exit();
        }
    }

    /**
     * Adds one atomically; returns the new value.
     *
     * @return the new value
     */
    public int incrementAndGet() {
        return addAndGet(1);
    }

    /**
     * Subtracts one atomically; returns the new value.
     *
     * @return the new value
     */
    public int decrementAndGet() {
        return addAndGet(-1);
    }

    /**
     * Applies {@code update} atomically (retrying if another writer got in between); returns the new value.
     *
     * @param update a side-effect-free function of the current value (it may run more than once)
     * @return the new value
     */
    public int updateAndGet(IntUnaryOperator update) {
        file.enter();
        try {
            long at = at();
            int v;
            int next;
            do {
                v = memory.getIntVolatile(at);
                next = update.applyAsInt(v);
            } while (!memory.compareAndSetInt(at, v, next));
            return next;
        } finally {
            file.exit();
        }
    }

    @Override
    public String toString() {
        return describe("[" + (file.isClosed() ? "" : String.valueOf(get())) + "]");
    }

    /** Builds a {@link SharedInt}: its initial value, plus the settings of {@link ValueBuilder}. */
    public static final class Builder extends ValueBuilder<SharedInt, Builder> {
        private int initial;

        Builder(String name) {
            super(name, ValueLayout.INT, false, SharedInt::new);
        }

        /**
         * The value at creation (default 0); ignored on open.
         *
         * @param value the value at creation
         * @return this builder
         */
        public Builder initialValue(int value) {
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
            memory.putInt(ValueLayout.DATA, initial);
        }
    }
}
