package io.mmipc.collection;

import io.mmipc.WaitMode;
import io.mmipc.codec.Codec;
import io.mmipc.internal.collection.StoredEntry;
import io.mmipc.internal.collection.ListStore;
import io.mmipc.internal.collection.MapStore;
import io.mmipc.internal.file.ObjectType;
import io.mmipc.internal.file.SharedFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.function.UnaryOperator;

/**
 * Python's {@code Manager().list()} without the server: a {@link java.util.List} shared by processes, in
 * mapped memory, opened by name. Elements go through a {@link Codec}.
 *
 * <pre>{@code
 * try (SharedList<String> log = SharedList.builder("log", Codecs.string()).openOrCreate()) {
 *     log.add("started " + ProcessHandle.current().pid());   // atomic append, from any process
 *     log.update(0, s -> s + "!");                          // atomic read-modify-write of one element
 * }
 * }</pre>
 *
 * <ul>
 *   <li><b>Atomic across processes:</b> {@code add} (append), {@code add(i, e)}, {@code set}, {@code remove(i)},
 *       {@code clear} and {@link #update}. Bulk methods inherited from {@link AbstractList} ({@code addAll},
 *       {@code removeIf}, {@code subList(...).clear()}, ...) are sequences of those, not atomic as a whole.</li>
 *   <li><b>Reads</b> ({@code get}, {@code size}, iteration) take no lock and never see a half-written
 *       element.</li>
 *   <li><b>Iteration</b> goes by index ({@code get(0)}, {@code get(1)}, ...): weakly consistent, never
 *       {@link java.util.ConcurrentModificationException}; an insertion or removal by another process while
 *       iterating may make it skip or repeat an element, or end with {@link java.util.NoSuchElementException}
 *       if the list shrank under it. Hold your own lock (for example a {@code SharedLock}) for a stable pass.</li>
 *   <li><b>Crash safety:</b> a process killed in the middle of any update leaves the list as if the update
 *       happened or as if it did not.</li>
 *   <li><b>Limits:</b> an element of up to 1 GiB (with 32 bytes of header); up to about 134 million elements.
 *       Past a limit a write throws {@link IllegalArgumentException} or {@link IllegalStateException} naming the
 *       list and the limit. No null elements ({@link NullPointerException}).</li>
 * </ul>
 *
 * Every method throws {@link IllegalStateException} once the handle is closed.
 *
 * @param <E> the element type
 */
public final class SharedList<E> extends AbstractList<E> implements RandomAccess, AutoCloseable {
    private final SharedFile file;
    private final ListStore store;
    private final Encoder<E> elements;

    private SharedList(SharedFile file, WaitMode mode, Codec<E> codec) {
        this.file = file;
        this.store = new ListStore(file, mode);
        this.elements = new Encoder<>(codec, "element");
    }

    /**
     * Starts building a list named {@code name}: then {@code create()}, {@code open()} or {@code openOrCreate()}.
     *
     * @param name  the object's name: 1-200 characters of {@code [A-Za-z0-9._-]}
     * @param codec how elements are encoded (every process must use the same)
     * @param <E>   the element type
     * @return the builder
     */
    public static <E> Builder<E> builder(String name, Codec<E> codec) {
        return new Builder<>(name, codec);
    }

    /**
     * Creates an empty list in the default folder.
     *
     * @param name  the object's name
     * @param codec how elements are encoded
     * @param <E>   the element type
     * @return the open list
     * @throws IOException if it exists or cannot be created
     */
    public static <E> SharedList<E> create(String name, Codec<E> codec) throws IOException {
        return builder(name, codec).create();
    }

    /**
     * Opens an existing list in the default folder.
     *
     * @param name  the object's name
     * @param codec how elements are encoded
     * @param <E>   the element type
     * @return the open list
     * @throws IOException if it does not exist or is not a valid list
     */
    public static <E> SharedList<E> open(String name, Codec<E> codec) throws IOException {
        return builder(name, codec).open();
    }

    @Override
    public E get(int index) {
        file.enter();
        try {
            return elements.decode(store.get(index).value);
        } finally {
            file.exit();
        }
    }

    @Override
    public int size() {
        file.enter();
        try {
            return store.size();
        } finally {
            file.exit();
        }
    }

    /**
     * Appends an element (Python's {@code append}), atomically.
     *
     * @param element the element
     * @return true
     * @throws NullPointerException  if {@code element} is null
     * @throws IllegalStateException if the list is full or closed
     */
    @Override
    public boolean add(E element) {
        byte[] v = elements.encode(element);
        file.enter();
        try {
            store.add(ListStore.APPEND, v);
            return true;
        } finally {
            file.exit();
        }
    }

    @Override
    public void add(int index, E element) {
        if (index < 0) {
            throw new IndexOutOfBoundsException(file.label() + ": index out of bounds: index=" + index);
        }
        byte[] v = elements.encode(element);
        file.enter();
        try {
            store.add(index, v);
        } finally {
            file.exit();
        }
    }

    @Override
    public E set(int index, E element) {
        byte[] v = elements.encode(element);
        file.enter();
        try {
            return elements.decode(store.set(index, v, MapStore.ANY).value);
        } finally {
            file.exit();
        }
    }

    @Override
    public E remove(int index) {
        file.enter();
        try {
            return elements.decode(store.remove(index).value);
        } finally {
            file.exit();
        }
    }

    /** Removes every element, atomically (one store replaces the array). */
    @Override
    public void clear() {
        file.enter();
        try {
            store.clear();
        } finally {
            file.exit();
        }
    }

    /**
     * Replaces element {@code index} with {@code fn} applied to it, atomically across processes. The function
     * runs outside any lock; if another process changed the element meanwhile, it runs again on the newer one.
     *
     * @param index the element's index
     * @param fn    computes the new element from the current one; must not return null
     * @return the new element
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, size())}
     * @throws NullPointerException      if {@code fn} returns null
     */
    public E update(int index, UnaryOperator<E> fn) {
        Objects.requireNonNull(fn, "fn");
        file.enter();
        try {
            while (true) {
                StoredEntry e = store.get(index);
                E next = fn.apply(elements.decode(e.value));
                if (store.set(index, elements.encode(next), e.ref) != null) {
                    return next;
                }
            }
        } finally {
            file.exit();
        }
    }

    /** {@return the file the list lives in} */
    public Path path() {
        return file.path();
    }

    /** Detaches this handle (other processes keep the list). Idempotent. */
    @Override
    public void close() {
        Handles.close(file, store::returnSpares);
    }

    /**
     * Removes the list's name and its segment files. Processes that have it open keep the parts they have
     * mapped; new opens fail.
     *
     * @throws IOException if a file cannot be removed
     */
    public void unlink() throws IOException {
        store.unlink();
    }

    /** {@return how many times a writer repaired the list after a writer that died mid-update (diagnostics)} */
    public long repairs() {
        return Handles.repairs(file, store::repairCount);
    }

    @Override
    public String toString() {
        return Handles.describe(file, super::toString);
    }

    /**
     * Builds a {@link SharedList}; see {@link CollectionBuilder} for the settings.
     *
     * @param <E> the type of the elements
     */
    public static final class Builder<E> extends CollectionBuilder<SharedList<E>, Builder<E>> {
        private final Codec<E> codec;

        Builder(String name, Codec<E> codec) {
            super(name, ObjectType.LIST);
            this.codec = Objects.requireNonNull(codec, "codec");
        }

        @Override
        SharedList<E> make(SharedFile file, WaitMode mode) {
            return new SharedList<>(file, mode, codec);
        }
    }
}
