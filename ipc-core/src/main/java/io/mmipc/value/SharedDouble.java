package io.mmipc.value;

import io.mmipc.WaitMode;
import io.mmipc.internal.file.SharedFile;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.sync.ValueLayout;

import java.io.IOException;
import java.util.function.DoubleUnaryOperator;

/**
 * Python's {@code multiprocessing.Value('d')} for Java: a {@code double} shared by processes, with atomic
 * operations on its raw bits and, unless created with {@code lock(false)}, its own reentrant lock
 * ({@link #getLock()}) for compound updates. Reads and writes are volatile; the atomic methods need no lock.
 * {@link #compareAndSet} compares bit patterns ({@link Double#doubleToRawLongBits}), so {@code NaN} matches
 * the same {@code NaN} and {@code 0.0} does not match {@code -0.0}.
 *
 * Layout: see {@code io.mmipc.internal.sync.ValueLayout}.
 */
public final class SharedDouble extends ValueHandle {
    private static final long AT = ValueLayout.DATA;

    private SharedDouble(SharedFile file, WaitMode mode) {
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
    public static SharedDouble create(String name, double initialValue) throws IOException {
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
    public static SharedDouble open(String name) throws IOException {
        return builder(name).open();
    }

    private long at() {
        return AT;
    }

    /** {@return the value (Python's {@code .value})} */
    public double get() {
        file.enter();
        try {
            return Double.longBitsToDouble(memory.getLongVolatile(at()));
        } finally {
            file.exit();
        }
    }

    /**
     * Sets the value (Python's {@code .value = v}).
     *
     * @param value the new value
     */
    public void set(double value) {
        file.enter();
        try {
            memory.putLongVolatile(at(), Double.doubleToRawLongBits(value));
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
    public double getAndSet(double value) {
        file.enter();
        try {
            long at = at();
            long bits = Double.doubleToRawLongBits(value);
            long v;
            do {
                v = memory.getLongVolatile(at);
            } while (!memory.compareAndSetLong(at, v, bits));
            return Double.longBitsToDouble(v);
        } finally {
            file.exit();
        }
    }

    /**
     * Sets the value to {@code value} if its bits equal those of {@code expected}, atomically; true if it did.
     *
     * @param expected the value it must hold now
     * @param value the value to store
     * @return true if it was set, false if it held another value
     */
    public boolean compareAndSet(double expected, double value) {
        file.enter();
        try {
            return memory.compareAndSetLong(at(), Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(value));
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
    public double getAndAdd(double delta) {
        file.enter();
        try {
            long at = at();
            long v;
            do {
                v = memory.getLongVolatile(at);
            } while (!memory.compareAndSetLong(at, v, Double.doubleToRawLongBits(Double.longBitsToDouble(v) + delta)));
            return Double.longBitsToDouble(v);
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
    public double addAndGet(double delta) {
        return updateAndGet(v -> v + delta);
    }

    /**
     * Applies {@code update} atomically (retrying if another writer got in between); returns the new value.
     *
     * @param update a side-effect-free function of the current value (it may run more than once)
     * @return the new value
     */
    public double updateAndGet(DoubleUnaryOperator update) {
        file.enter();
        try {
            long at = at();
            long v;
            double next;
            do {
                v = memory.getLongVolatile(at);
                next = update.applyAsDouble(Double.longBitsToDouble(v));
            } while (!memory.compareAndSetLong(at, v, Double.doubleToRawLongBits(next)));
            return next;
        } finally {
            file.exit();
        }
    }

    @Override
    public String toString() {
        return describe("[" + (file.isClosed() ? "" : String.valueOf(get())) + "]");
    }

    /** Builds a {@link SharedDouble}: its initial value, plus the settings of {@link ValueBuilder}. */
    public static final class Builder extends ValueBuilder<SharedDouble, Builder> {
        private double initial;

        Builder(String name) {
            super(name, ValueLayout.DOUBLE, false, SharedDouble::new);
        }

        /**
         * The value at creation (default 0.0); ignored on open.
         *
         * @param value the value at creation
         * @return this builder
         */
        public Builder initialValue(double value) {
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
            memory.putLong(ValueLayout.DATA, Double.doubleToRawLongBits(initial));
        }
    }
}
