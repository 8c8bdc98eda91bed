package org.multiprocessing4j.spi;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * {@code imap} and {@code imap_unordered} for every backend's pool: reads the input lazily, cuts it into
 * chunks and keeps a bounded number of them in flight (the <i>window</i>), so an endless iterator works
 * and memory stays bounded. A backend supplies {@link #submit}; the window may start small and double,
 * each time a whole window has been consumed, up to {@code maxWindow}.
 *
 * <p><b>Lifecycle.</b> A subclass calls {@link #start()} at the end of its constructor (the first chunks
 * go out then, as Python's {@code imap} starts work at once). {@link #inputEnded} is called once the
 * input has no more items, {@link #drained} once every result has been taken.
 *
 * <p><b>Concurrency.</b> Like any {@link Iterator}, for one consuming thread.
 */
public abstract class ChunkIterator<T, R> implements Iterator<R> {
    private final Iterator<? extends T> input;
    private final int chunksize;
    private final boolean ordered;
    private final int maxWindow;
    private int window;
    private int takenSinceGrowth;
    private final ArrayDeque<CompletableFuture<Object[]>> inFlight = new ArrayDeque<>(); // ordered mode
    private final LinkedBlockingQueue<CompletableFuture<Object[]>> completed = new LinkedBlockingQueue<>();
    private int pending; // chunks submitted, not yet taken (unordered mode)
    private Object[] current = new Object[0];
    private int position;
    private boolean drained;
    private long read;

    /**
     * @param ordered results in the input's order ({@code imap}), else as they complete
     * @param window the chunks in flight at first
     * @param maxWindow the most chunks in flight ({@code window} for a fixed window)
     */
    protected ChunkIterator(Iterable<? extends T> items, int chunksize, boolean ordered, int window, int maxWindow) {
        this.chunksize = Chunks.requirePositive(chunksize);
        this.input = Objects.requireNonNull(items, "items").iterator();
        this.ordered = ordered;
        this.window = window;
        this.maxWindow = Math.max(window, maxWindow);
    }

    /** Sends these chunks to workers; the futures of their results, in the same order. */
    protected abstract List<CompletableFuture<Object[]>> submit(List<Object[]> slices);

    /** The input has no more items ({@code items} in all): no more chunks come. */
    protected void inputEnded(long items) {}

    /** Every result has been taken (called once, by the consuming thread). */
    protected void drained() {}

    /** Sends the first window of chunks. */
    protected final void start() {
        fill();
    }

    private void fill() {
        List<Object[]> slices = new ArrayList<>();
        boolean ended = false;
        while (inFlightCount() + slices.size() < window) {
            if (!input.hasNext()) {
                ended = true;
                break;
            }
            Object[] chunk = new Object[chunksize];
            int n = 0;
            while (n < chunksize && input.hasNext()) {
                chunk[n++] = input.next();
            }
            slices.add(n == chunksize ? chunk : Arrays.copyOf(chunk, n));
            read += n;
            if (n < chunksize) {
                ended = true;
                break;
            }
        }
        if (slices.isEmpty()) {
            if (ended) {
                inputEnded(read);
            }
            return;
        }
        List<CompletableFuture<Object[]>> futures = submit(slices);
        if (ended) {
            inputEnded(read);
        }
        for (CompletableFuture<Object[]> future : futures) {
            if (ordered) {
                inFlight.addLast(future);
            } else {
                pending++;
                future.whenComplete((v, e) -> completed.add(future));
            }
        }
    }

    private int inFlightCount() {
        return ordered ? inFlight.size() : pending;
    }

    @Override
    public final boolean hasNext() {
        if (position < current.length) {
            return true;
        }
        while (position >= current.length) {
            if (inFlightCount() <= window / 2 || inFlightCount() == 0) {
                fill(); // in halves: one submission of many chunks rather than one per chunk taken
            }
            if (inFlightCount() == 0) {
                if (!drained) {
                    drained = true;
                    drained();
                }
                return false;
            }
            // a task's exception: CompletionException, as the Javadoc says
            current = (ordered ? inFlight.pollFirst() : takeCompleted()).join();
            position = 0;
            if (window < maxWindow && ++takenSinceGrowth >= window) {
                window = Math.min(maxWindow, 2 * window);
                takenSinceGrowth = 0;
            }
        }
        return true;
    }

    private CompletableFuture<Object[]> takeCompleted() {
        pending--;
        try {
            return completed.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public final R next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return (R) current[position++];
    }
}
