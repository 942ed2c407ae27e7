package io.mmipc.process;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletionException;

/**
 * The results of {@link SharedPool#imap} or {@link SharedPool#imapUnordered}, usable while the rest still run:
 * {@link #next()} blocks until the next result is there (in item order, or in completion order), and
 * {@link #completed()} / {@link #total()} tell the progress at any time (a progress bar can poll them from
 * another thread).
 *
 * <p>A failed item makes {@link #next()} throw a {@link CompletionException} whose cause is the remote
 * exception ({@link RemoteTaskException}), a {@link ProcessDiedException}, a
 * {@link java.util.concurrent.TimeoutException} or a {@link java.util.concurrent.CancellationException};
 * iteration may go on with the next item.
 *
 * @param <R> the result type
 */
public final class PoolResults<R> implements Iterator<R> {
    private final int total;
    private final boolean ordered;
    private final Object[] values;
    private final Throwable[] errors;
    private final boolean[] done;
    private final ArrayDeque<Integer> arrivals = new ArrayDeque<>();
    private int completed;
    private int returned;

    PoolResults(int total, boolean ordered) {
        this.total = total;
        this.ordered = ordered;
        this.values = new Object[total];
        this.errors = new Throwable[total];
        this.done = new boolean[total];
    }

    /** @return a sink for the batch holding items {@code from} to {@code from + count - 1} */
    Batch.Sink sink(int from, int count) {
        return new Batch.Sink() {
            @Override
            public void values(Object[] results) {
                if (results.length != count) {
                    failed(new IllegalStateException("worker returned " + results.length + " results for " + count
                            + " items"));
                    return;
                }
                synchronized (PoolResults.this) {
                    for (int i = 0; i < count; i++) {
                        values[from + i] = results[i];
                        arrive(from + i);
                    }
                    PoolResults.this.notifyAll();
                }
            }

            @Override
            public void failed(Throwable error) {
                synchronized (PoolResults.this) {
                    for (int i = 0; i < count; i++) {
                        errors[from + i] = error;
                        arrive(from + i);
                    }
                    PoolResults.this.notifyAll();
                }
            }
        };
    }

    private void arrive(int index) {
        done[index] = true;
        completed++;
        if (!ordered) {
            arrivals.add(index);
        }
    }

    /** {@return how many items have a result (or failed) so far} */
    public synchronized int completed() {
        return completed;
    }

    /** {@return how many items there are} */
    public int total() {
        return total;
    }

    @Override
    public synchronized boolean hasNext() {
        return returned < total;
    }

    /**
     * For {@code map}: waits for the next result in item order, then moves it and every later one already there
     * to {@code out}, under one lock (rather than two per item through {@link #hasNext()} and {@link #next()}).
     *
     * @param out receives the results
     * @throws CompletionException    as {@link #next()} does, for the first failed item (the results before it
     *                                are moved; iteration may go on after it)
     * @throws NoSuchElementException if every result was returned
     */
    @SuppressWarnings("unchecked")
    synchronized void drainTo(List<? super R> out) {
        if (!ordered) {
            throw new IllegalStateException("results in completion order are read one by one");
        }
        if (returned >= total) {
            throw new NoSuchElementException("all " + total + " results returned");
        }
        try {
            while (!done[returned]) {
                wait();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException("interrupted while waiting for a result", e);
        }
        while (returned < total && done[returned]) {
            int index = returned++;
            if (errors[index] != null) {
                throw new CompletionException(errors[index]);
            }
            out.add((R) values[index]);
            values[index] = null;
        }
    }

    /**
     * @return the next result, waiting for it
     * @throws CompletionException    if that item failed (the cause says why)
     * @throws NoSuchElementException if every result was returned
     */
    @Override
    @SuppressWarnings("unchecked")
    public synchronized R next() {
        if (returned >= total) {
            throw new NoSuchElementException("all " + total + " results returned");
        }
        int index;
        try {
            if (ordered) {
                index = returned;
                while (!done[index]) {
                    wait();
                }
            } else {
                while (arrivals.isEmpty()) {
                    wait();
                }
                index = arrivals.poll();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException("interrupted while waiting for a result", e);
        }
        returned++;
        if (errors[index] != null) {
            throw new CompletionException(errors[index]);
        }
        R v = (R) values[index];
        values[index] = null; // the caller has it now
        return v;
    }
}
