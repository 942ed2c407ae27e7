package io.mmipc.value;

import io.mmipc.WaitMode;
import io.mmipc.internal.file.SharedFile;
import io.mmipc.internal.mem.MappedMemory;
import io.mmipc.internal.sync.ValueLayout;

import java.io.IOException;
import java.util.function.IntUnaryOperator;

/**
 * Python's {@code multiprocessing.Value('b')} (signed char; {@code 'B'} and {@code 'c'} map here too, read
 * with {@link Byte#toUnsignedInt}) for Java: a {@code byte} shared by processes, with atomic operations
 * and, unless created with {@code lock(false)}, its own reentrant lock ({@link #getLock()}) for compound
 * updates. Arithmetic wraps like Java {@code byte} arithmetic.
 *
 * Layout: see {@code io.mmipc.internal.sync.ValueLayout}.
 */
public final class SharedByte extends ValueHandle {
    private static final long AT = ValueLayout.DATA;

    private SharedByte(SharedFile file, WaitMode mode) {
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
    public static SharedByte create(String name, byte initialValue) throws IOException {
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
    public static SharedByte open(String name) throws IOException {
        return builder(name).open();
    }

    private long at() {
        return AT;
    }

    /** {@return the value (Python's {@code .value})} */
    public byte get() {
        file.enter();
        try {
            return ByteCells.get(memory, at());
        } finally {
            file.exit();
        }
    }

    /**
     * Sets the value (Python's {@code .value = v}); atomic, so neighbouring bytes are never disturbed.
     *
     * @param value the new value
     */
    public void set(byte value) {
        file.enter();
        try {
            ByteCells.getAndSet(memory, at(), value);
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
    public byte getAndSet(byte value) {
        file.enter();
        try {
            return ByteCells.getAndSet(memory, at(), value);
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
    public boolean compareAndSet(byte expected, byte value) {
        file.enter();
        try {
            return ByteCells.compareAndSet(memory, at(), expected, value);
        } finally {
            file.exit();
        }
    }

    /**
     * Adds {@code delta} atomically (wrapping); returns the old value.
     *
     * @param delta the amount to add (negative to subtract)
     * @return the old value
     */
    public byte getAndAdd(int delta) {
        file.enter();
        try {
            return ByteCells.getAndAdd(memory, at(), delta);
        } finally {
            file.exit();
        }
    }

    /**
     * Adds {@code delta} atomically (wrapping); returns the new value.
     *
     * @param delta the amount to add (negative to subtract)
     * @return the new value
     */
    public byte addAndGet(int delta) {
        file.enter();
        try {
            return (byte) (ByteCells.getAndAdd(memory, at(), delta) + delta);
        } finally {
            file.exit();
        }
    }

    /**
     * Adds one atomically (wrapping); returns the new value.
     *
     * @return the new value
     */
    public byte incrementAndGet() {
        return addAndGet(1);
    }

    /**
     * Subtracts one atomically (wrapping); returns the new value.
     *
     * @return the new value
     */
    public byte decrementAndGet() {
        return addAndGet(-1);
    }

    /**
     * Applies {@code update} atomically (retrying if another writer got in between); the result is narrowed
     * to a byte. Returns the new value.
     *
     * @param update a side-effect-free function of the current value (it may run more than once)
     * @return the new value
     */
    public byte updateAndGet(IntUnaryOperator update) {
        file.enter();
        try {
            long at = at();
            byte v;
            byte next;
            do {
                v = ByteCells.get(memory, at);
                next = (byte) update.applyAsInt(v);
            } while (!ByteCells.compareAndSet(memory, at, v, next));
            return next;
        } finally {
            file.exit();
        }
    }

    @Override
    public String toString() {
        return describe("[" + (file.isClosed() ? "" : String.valueOf(get())) + "]");
    }

    /** Builds a {@link SharedByte}: its initial value, plus the settings of {@link ValueBuilder}. */
    public static final class Builder extends ValueBuilder<SharedByte, Builder> {
        private byte initial;

        Builder(String name) {
            super(name, ValueLayout.BYTE, false, SharedByte::new);
        }

        /**
         * The value at creation (default 0); ignored on open.
         *
         * @param value the value at creation
         * @return this builder
         */
        public Builder initialValue(byte value) {
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
            memory.putBytes(ValueLayout.DATA, new byte[] {initial}, 0, 1);
        }
    }
}
