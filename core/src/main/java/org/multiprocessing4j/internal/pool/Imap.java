package org.multiprocessing4j.internal.pool;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.multiprocessing4j.ProgressListener;
import org.multiprocessing4j.SerializableFunction;

/**
 * {@code imap} and {@code imap_unordered}: reads the input lazily, keeping a bounded number of chunks
 * in flight, so an endless iterator works and memory stays bounded.
 *
 * <p><b>Concurrency.</b> Like any {@link Iterator}, for one consuming thread.
 */
final class Imap<T, R> implements Iterator<R> {
    private static final java.lang.ref.Cleaner CLEANER = java.lang.ref.Cleaner.create();
    private final LocalPool pool;
    private final Iterator<? extends T> input;
    private final int chunksize;
    private final boolean ordered;
    private final int fnId;
    private final boolean adaptive;
    private final int maxWindow;
    private int window;
    private int takenSinceGrowth;
    private final ArrayDeque<CompletableFuture<Object[]>> inFlight = new ArrayDeque<>(); // ordered mode
    private final LinkedBlockingQueue<CompletableFuture<Object[]>> completed = new LinkedBlockingQueue<>();
    private int pending; // chunks submitted, not yet taken (unordered mode)
    private Object[] current = new Object[0];
    private int position;
    private boolean forgotten;
    /** Null without a progress listener. */
    private final ProgressTracker tracker;
    private long read;

    Imap(LocalPool pool, SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items, int chunksize,
            boolean ordered, int buffersize, ProgressListener listener) {
        Objects.requireNonNull(fn, "fn");
        Chunks.requirePositive(chunksize);
        this.pool = pool;
        this.input = Objects.requireNonNull(items, "items").iterator();
        this.chunksize = chunksize;
        this.ordered = ordered;
        this.fnId = pool.define(fn);
        // A fixed look-ahead if asked for; else a few chunks per worker, doubled each time a whole
        // look-ahead has been consumed, up to what keeps every worker busy across a round trip with
        // tiny tasks (the pool sends up to 64 of them to a worker at once). A consumer that takes a
        // few results from an endless input reads a few chunks per worker ahead, no more.
        this.adaptive = buffersize == 0;
        this.maxWindow = adaptive ? Math.max(4 * pool.processes(), Math.ceilDiv(64 * pool.processes(), chunksize))
                : buffersize;
        this.window = adaptive ? 4 * pool.processes() : buffersize;
        int id = fnId;
        CLEANER.register(this, () -> pool.forget(id)); // an iterator dropped before its end
        this.tracker = ProgressTracker.start(listener, ordered ? "imap" : "imapUnordered",
                items instanceof java.util.Collection<?> c ? c.size() : -1);

        fill();
    }

    static int requireBuffersize(int buffersize) {
        if (buffersize < 1) {
            throw new IllegalArgumentException("buffersize must be ≥ 1, was " + buffersize);
        }
        return buffersize;
    }

    private void fill() {
        java.util.List<Object[]> slices = new java.util.ArrayList<>();
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
            slices.add(n == chunksize ? chunk : java.util.Arrays.copyOf(chunk, n));
            read += n;
            if (n < chunksize) {
                ended = true;
                break;
            }
        }
        if (slices.isEmpty()) {
            if (ended) {
                inputEnded();
            }
            return;
        }
        java.util.List<CompletableFuture<Object[]>> futures = pool.chunks(fnId, slices);
        if (tracker != null) {
            for (int i = 0; i < futures.size(); i++) {
                tracker.watch(futures.get(i), slices.get(i).length);
            }
        }
        if (ended) {
            inputEnded();
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

    /** The input has no more items: the total is known, and no more tasks come. */
    private void inputEnded() {
        if (tracker != null) {
            tracker.total(read);
            tracker.close();
        }
    }

    private int inFlightCount() {
        return ordered ? inFlight.size() : pending;
    }

    @Override
    public boolean hasNext() {
        if (position < current.length) {
            return true;
        }
        while (position >= current.length) {
            if (inFlightCount() <= window / 2 || inFlightCount() == 0) {
                fill(); // in halves: one submission of many chunks rather than one per chunk taken
            }
            if (inFlightCount() == 0) {
                if (!forgotten) {
                    forgotten = true;
                    pool.forget(fnId);
                    if (tracker != null) {
                        tracker.awaitFinished(); // the last progress line before the caller goes on
                    }
                }
                return false;
            }
            current = next(ordered ? inFlight.pollFirst() : takeCompleted());
            position = 0;
            if (adaptive && ++takenSinceGrowth >= window && window < maxWindow) {
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

    private static Object[] next(CompletableFuture<Object[]> chunk) {
        return chunk.join(); // a task's exception: CompletionException, as the Javadoc says
    }

    @Override
    @SuppressWarnings("unchecked")
    public R next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return (R) current[position++];
    }
}
