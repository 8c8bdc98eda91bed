package org.multiprocessing4j.internal.pool;

import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.multiprocessing4j.PoolInsights;
import org.multiprocessing4j.ProcessPool;
import org.multiprocessing4j.ProgressListener;
import org.multiprocessing4j.SerializableBiFunction;
import org.multiprocessing4j.SerializableCallable;
import org.multiprocessing4j.SerializableFunction;
import org.multiprocessing4j.spi.Chunks;

/**
 * {@link ProcessPool#withProgress}: the same pool, whose map family and {@code invokeAll} tell
 * {@code listener} their progress. Holds nothing of its own: shutting it down shuts the pool down.
 */
final class ProgressView implements ProcessPool {
    private final LocalPool pool;
    private final ProgressListener listener;

    ProgressView(LocalPool pool, ProgressListener listener) {
        this.pool = pool;
        this.listener = listener;
    }

    @Override
    public <T, R> CompletableFuture<List<R>> mapAsync(SerializableFunction<? super T, ? extends R> fn,
            Iterable<? extends T> items) {
        return pool.mapAsync(fn, items, 0, listener, "map");
    }

    @Override
    public <T, R> CompletableFuture<List<R>> mapAsync(SerializableFunction<? super T, ? extends R> fn,
            Iterable<? extends T> items, int chunksize) {
        Chunks.requirePositive(chunksize);
        return pool.mapAsync(fn, items, chunksize, listener, "map");
    }

    @Override
    public <T, R> Iterator<R> imap(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items, int chunksize) {
        return new Imap<>(pool, fn, items, chunksize, true, 0, listener);
    }

    @Override
    public <T, R> Iterator<R> imapUnordered(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items,
            int chunksize) {
        return new Imap<>(pool, fn, items, chunksize, false, 0, listener);
    }

    @Override
    public <T, R> Iterator<R> imap(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items,
            int chunksize, int buffersize) {
        return new Imap<>(pool, fn, items, chunksize, true, Imap.requireBuffersize(buffersize), listener);
    }

    @Override
    public <T, R> Iterator<R> imapUnordered(SerializableFunction<? super T, ? extends R> fn,
            Iterable<? extends T> items, int chunksize, int buffersize) {
        return new Imap<>(pool, fn, items, chunksize, false, Imap.requireBuffersize(buffersize), listener);
    }

    @Override
    public <A, B, R> List<R> starmap(SerializableBiFunction<A, B, R> fn, Iterable<? extends Map.Entry<A, B>> args) {
        return pool.starmap(fn, args, listener);
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        return pool.invokeAll(tasks, listener);
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException {
        return pool.invokeAll(tasks, timeout, unit, listener);
    }

    @Override
    public ProcessPool withProgress(ProgressListener other) {
        return pool.withProgress(other);
    }

    // ---------------------------------------------------------------- the pool's own

    @Override
    public <R> R apply(SerializableCallable<R> task) {
        return pool.apply(task);
    }

    @Override
    public <R> CompletableFuture<R> applyAsync(SerializableCallable<R> task) {
        return pool.applyAsync(task);
    }

    @Override
    public <T> Future<T> submit(Callable<T> task) {
        return pool.submit(task);
    }

    @Override
    public <T> Future<T> submit(Runnable task, T result) {
        return pool.submit(task, result);
    }

    @Override
    public Future<?> submit(Runnable task) {
        return pool.submit(task);
    }

    @Override
    public void execute(Runnable command) {
        pool.execute(command);
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        return pool.invokeAny(tasks);
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        return pool.invokeAny(tasks, timeout, unit);
    }

    @Override
    public int processes() {
        return pool.processes();
    }

    @Override
    public List<Long> workerPids() {
        return pool.workerPids();
    }

    @Override
    public PoolInsights insights() {
        return pool.insights();
    }

    @Override
    public void shutdown() {
        pool.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        return pool.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
        return pool.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return pool.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return pool.awaitTermination(timeout, unit);
    }

    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return pool + " with progress to " + listener;
    }
}
