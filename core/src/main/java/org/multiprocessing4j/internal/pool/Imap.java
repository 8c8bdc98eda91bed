package org.multiprocessing4j.internal.pool;

import java.lang.ref.Cleaner;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.multiprocessing4j.ProgressListener;
import org.multiprocessing4j.SerializableFunction;
import org.multiprocessing4j.spi.ChunkIterator;
import org.multiprocessing4j.spi.Chunks;

/**
 * {@code imap} and {@code imap_unordered} on the local pool: {@link ChunkIterator} over the pool's
 * function table (the function is defined in workers once, its chunks carry only its id) with
 * progress reporting.
 *
 * <p>Without a fixed {@code buffersize}, the look-ahead is a few chunks per worker, doubled each time a
 * whole look-ahead has been consumed, up to what keeps every worker busy across a round trip with tiny
 * tasks (the pool sends up to 64 of them to a worker at once). A consumer that takes a few results from
 * an endless input reads a few chunks per worker ahead, no more.
 */
final class Imap<T, R> extends ChunkIterator<T, R> {
    private static final Cleaner CLEANER = Cleaner.create();
    private final LocalPool pool;
    private final int fnId;
    /** Null without a progress listener. */
    private final ProgressTracker tracker;

    Imap(LocalPool pool, SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items, int chunksize,
            boolean ordered, int buffersize, ProgressListener listener) {
        super(items, chunksize, ordered, buffersize == 0 ? 4 * pool.processes() : buffersize,
                buffersize == 0 ? Math.max(4 * pool.processes(), Math.ceilDiv(64 * pool.processes(),
                        Chunks.requirePositive(chunksize))) : buffersize);
        Objects.requireNonNull(fn, "fn");
        this.pool = pool;
        this.fnId = pool.define(fn);
        int id = fnId;
        CLEANER.register(this, () -> pool.forget(id)); // an iterator dropped before its end
        this.tracker = ProgressTracker.start(listener, ordered ? "imap" : "imapUnordered",
                items instanceof Collection<?> c ? c.size() : -1);
        start();
    }

    static int requireBuffersize(int buffersize) {
        if (buffersize < 1) {
            throw new IllegalArgumentException("buffersize must be ≥ 1, was " + buffersize);
        }
        return buffersize;
    }

    @Override
    protected List<CompletableFuture<Object[]>> submit(List<Object[]> slices) {
        List<CompletableFuture<Object[]>> futures = pool.chunks(fnId, slices);
        if (tracker != null) {
            for (int i = 0; i < futures.size(); i++) {
                tracker.watch(futures.get(i), slices.get(i).length);
            }
        }
        return futures;
    }

    @Override
    protected void inputEnded(long items) {
        if (tracker != null) {
            tracker.total(items);
            tracker.close();
        }
    }

    @Override
    protected void drained() {
        pool.forget(fnId);
        if (tracker != null) {
            tracker.awaitFinished(); // the last progress line before the caller goes on
        }
    }
}
