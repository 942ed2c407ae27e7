package io.mmipc.queue;

import io.mmipc.internal.ring.RecordScanner;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The weakly consistent iterator of a {@link SharedQueue}: the messages queued when it was created or later,
 * in queue order, each at most once, never a {@link java.util.ConcurrentModificationException}.
 *
 * <p>Each {@link #hasNext()} that has no message in hand looks for the next one under the consumer lock (a
 * message taken or removed by any process since is skipped) and keeps a copy of its bytes; {@link #next()}
 * decodes and returns that copy, unless a consumer took it meanwhile and a later message is there (then that
 * one). So the message {@code next()} returns was queued when the iterator last looked, and is skipped if
 * taken before {@code next()} unless it was the last. Once {@code hasNext()} has returned false the iterator
 * stays exhausted. {@link #remove()} removes the last returned message if it is still queued,
 * and does nothing if another consumer took it meanwhile.
 *
 * @param <E> the item type
 */
final class QueueIterator<E> implements Iterator<E> {
    private final SharedQueue<E> queue;
    private long cursor = RecordScanner.NONE;
    private RecordScanner.Found pending;
    private long lastReturned = RecordScanner.NONE;
    private boolean exhausted;

    QueueIterator(SharedQueue<E> queue) {
        this.queue = queue;
    }

    @Override
    public boolean hasNext() {
        if (pending == null && !exhausted) {
            pending = queue.scanNext(cursor);
            exhausted = pending == null;
        }
        return pending != null;
    }

    /**
     * @return the next message, decoded
     * @throws NoSuchElementException if there is none
     * @throws RuntimeException       the codec's exception if its bytes cannot be decoded, or the reason a
     *                                spilled message can never be read (its side file is gone); the iteration
     *                                can go on past it
     */
    @Override
    public E next() {
        if (!hasNext()) {
            throw new NoSuchElementException(queue.label() + ": no more messages");
        }
        RecordScanner.Found found = pending;
        pending = null;
        if (queue.takenSince(found)) {
            // Taken elsewhere since hasNext() found it: return a later message if there is one, rather than
            // a ghost; with none left, hasNext() has promised one, and this was queued when it looked.
            RecordScanner.Found later = queue.scanNext(found.after());
            if (later != null) {
                found = later;
            }
        }
        cursor = found.after();
        lastReturned = RecordScanner.NONE;
        E item = queue.decodeCopy(found.payload());
        lastReturned = found.position();
        return item;
    }

    /**
     * Removes the message the last {@link #next()} returned, if no process has taken or removed it since.
     *
     * @throws IllegalStateException if {@code next()} was not called, or {@code remove()} was already called
     *                               after the last {@code next()}
     */
    @Override
    public void remove() {
        removeLast();
    }

    /**
     * {@link #remove()}, telling whether the message was still there.
     *
     * @return true if it was removed, false if another consumer had taken or removed it
     * @throws IllegalStateException as {@link #remove()}
     */
    boolean removeLast() {
        if (lastReturned == RecordScanner.NONE) {
            throw new IllegalStateException(queue.label() + ": remove() without a next() before it");
        }
        long position = lastReturned;
        lastReturned = RecordScanner.NONE;
        return queue.removeAt(position);
    }
}
