package org.multiprocessing4j;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * A pool of worker processes (child JVMs): Python's {@code multiprocessing.Pool} and
 * {@code concurrent.futures.ProcessPoolExecutor}, as an {@link ExecutorService}.
 *
 * <p>Tasks cross a process boundary, so they are serializable: the overloads taking
 * {@link SerializableCallable}, {@link SerializableFunction} … make plain lambdas serializable; a plain
 * {@code Runnable}/{@code Callable} given to {@link #submit} or {@link #execute} must be
 * {@code Serializable} itself, or it is rejected at submission with a message naming its class.
 *
 * <p><b>Never hangs.</b> A worker that dies mid-task (killed, {@code System.exit}, out of memory, a
 * native crash) fails that task with {@link WorkerLostException} (pid, exit code or signal, the end of
 * its stderr) and is replaced; every other task still runs. A task that overruns the builder's
 * {@code taskTimeout} fails with {@link TaskTimeoutException} and its worker is killed and replaced.
 * {@code cancel(true)} on a running task kills its worker (and replaces it). A task's exception
 * arrives as the cause of {@code ExecutionException} with the worker's stack trace; one that cannot
 * be serialized arrives as a {@link RemoteException}.
 *
 * <p>The blocking Python-style methods ({@link #apply}, {@link #map}, {@link #starmap}) wait like
 * {@link CompletableFuture#join()}: a task's exception is thrown as the cause of a
 * {@link java.util.concurrent.CompletionException}. {@link #close()} is {@link #shutdown()} and wait,
 * as for every {@code ExecutorService}.
 */
public interface ProcessPool extends ExecutorService {

    /** Runs {@code task} in a worker and waits for its result (Python's {@code apply}). */
    <R> R apply(SerializableCallable<R> task);

    /** Runs {@code task} in a worker (Python's {@code apply_async}). */
    <R> CompletableFuture<R> applyAsync(SerializableCallable<R> task);

    /**
     * {@code fn} applied to every item, in order, in chunks sized as Python sizes them
     * ({@code len(items) / (4 × processes)}, rounded up). The function is sent to each worker once.
     * Waits as {@link CompletableFuture#join} does, which an interrupt does not end; to wait
     * interruptibly, or with a timeout, call {@code mapAsync(fn, items).get(...)}.
     */
    default <T, R> List<R> map(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items) {
        return this.<T, R>mapAsync(fn, items).join();
    }

    /** As {@link #map(SerializableFunction, Iterable)}, {@code chunksize} items per task. */
    default <T, R> List<R> map(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items,
            int chunksize) {
        return this.<T, R>mapAsync(fn, items, chunksize).join();
    }

    /** {@link #map(SerializableFunction, Iterable)} without waiting (Python's {@code map_async}). */
    <T, R> CompletableFuture<List<R>> mapAsync(SerializableFunction<? super T, ? extends R> fn,
            Iterable<? extends T> items);

    <T, R> CompletableFuture<List<R>> mapAsync(SerializableFunction<? super T, ? extends R> fn,
            Iterable<? extends T> items, int chunksize);

    /**
     * Lazily {@code fn} applied to each item, results in order (Python's {@code imap}). Unlike
     * Python's, the input is read as results are consumed, with a bounded look-ahead, so an endless or
     * huge iterator works. A task's exception is thrown from {@code next()} as a
     * {@link java.util.concurrent.CompletionException}.
     */
    <T, R> Iterator<R> imap(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items, int chunksize);

    /** {@link ExecutorService#invokeAny(java.util.Collection)}: the timed form without a deadline. */
    @Override
    default <T> T invokeAny(java.util.Collection<? extends java.util.concurrent.Callable<T>> tasks)
            throws InterruptedException, java.util.concurrent.ExecutionException {
        try {
            return invokeAny(tasks, Long.MAX_VALUE, java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no deadline", e);
        }
    }

    /** {@link #imap} with {@code chunksize} 1. */
    default <T, R> Iterator<R> imap(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items) {
        return imap(fn, items, 1);
    }

    /** As {@link #imap}, results in the order they complete (Python's {@code imap_unordered}). */
    <T, R> Iterator<R> imapUnordered(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items,
            int chunksize);

    /**
     * As {@link #imap(SerializableFunction, Iterable, int)}, with at most {@code buffersize} chunks
     * submitted and not yet consumed (CPython 3.14's {@code Executor.map(buffersize=)}): the input is
     * read that far ahead and no further. Without it, the look-ahead starts at 4 chunks per worker and
     * doubles each time a whole look-ahead has been consumed, up to what keeps every worker busy with
     * tiny tasks (64 items per worker, and at least 4 chunks per worker).
     *
     * @throws IllegalArgumentException if {@code chunksize} or {@code buffersize} is below 1
     */
    default <T, R> Iterator<R> imap(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items,
            int chunksize, int buffersize) {
        throw new UnsupportedOperationException("imap with a buffersize is not supported by " + getClass().getName());
    }

    /** As {@link #imap(SerializableFunction, Iterable, int, int)}, results in the order they complete. */
    default <T, R> Iterator<R> imapUnordered(SerializableFunction<? super T, ? extends R> fn,
            Iterable<? extends T> items, int chunksize, int buffersize) {
        throw new UnsupportedOperationException("imapUnordered with a buffersize is not supported by "
                + getClass().getName());
    }

    /** {@code fn(key, value)} for each pair, in order (Python's {@code starmap} with 2-tuples). */
    <A, B, R> List<R> starmap(SerializableBiFunction<A, B, R> fn, Iterable<? extends Map.Entry<A, B>> args);

    /** The number of worker processes. */
    int processes();

    /** The pids of the live workers (changes as workers are replaced). */
    List<Long> workerPids();

    /**
     * This pool, with {@code listener} told the progress of each {@code map}, {@code mapAsync},
     * {@code imap}, {@code imapUnordered}, {@code starmap} and {@code invokeAll} called on the returned
     * view (in place of the builder's listener, if any); everything else is the pool's own, and
     * shutting the view down shuts the pool down. {@code pool.withProgress(ProgressListener.consoleBar()).map(f, items)}
     * is tqdm's {@code tqdm(pool.imap(f, items), total=len(items))}.
     *
     * @throws UnsupportedOperationException if this backend cannot report progress
     */
    default ProcessPool withProgress(ProgressListener listener) {
        throw new UnsupportedOperationException("progress is not reported by " + getClass().getName());
    }

    /**
     * Where the pool's time has gone so far, per worker process (mpire's insights): tasks run, time
     * starting up, working, waiting for work, (de)serializing and sending, and the slowest tasks. Only
     * for a pool built with {@link Builder#insights(boolean) insights(true)} (mpire's
     * {@code enable_insights=True}): the workers' clock readings cost a few percent on the smallest tasks.
     *
     * @throws IllegalStateException if the pool was built without insights
     * @throws UnsupportedOperationException if this backend does not measure it
     */
    default PoolInsights insights() {
        throw new UnsupportedOperationException("insights are not measured by " + getClass().getName());
    }

    /** Prints {@link #insights()}' summary on {@code System.out} (mpire's {@code print_insights()}). */
    default void printInsights() {
        insights().print(System.out);
    }

    /** Configures a pool: {@link Context#poolBuilder()}. */
    interface Builder {
        /** How many workers (default {@link Multiprocessing#cpuCount()}). */
        Builder processes(int processes);

        /** Runs once in each worker before its first task (Python's {@code initializer}). */
        Builder initializer(SerializableRunnable initializer);

        /** Replaces a worker after it has run this many tasks (Python's {@code maxtasksperchild}). */
        Builder maxTasksPerChild(int tasks);

        /** A task running longer fails with {@link TaskTimeoutException}; its worker is killed and replaced. */
        Builder taskTimeout(Duration timeout);

        /** Replaces a worker whose resident memory after a task exceeds {@code bytes} (billiard, loky). */
        Builder maxMemoryPerChild(long bytes);

        /** Options for the workers' JVMs. */
        Builder jvmOptions(String... options);

        /**
         * {@code listener} is told the progress of every {@code map}, {@code imap}, {@code imapUnordered},
         * {@code starmap} and {@code invokeAll} of the pool (see {@link ProcessPool#withProgress} for
         * some calls only).
         */
        default Builder progress(ProgressListener listener) {
            throw new UnsupportedOperationException("progress is not reported by " + getClass().getName());
        }

        /**
         * Whether the workers measure where their time goes, for {@link ProcessPool#insights()} (default
         * false, as mpire's {@code enable_insights}): three clock readings per task and a few longs per
         * batch of results, a few percent of a task as small as {@code imap}'s {@code x * 2} with
         * chunksize 1.
         */
        default Builder insights(boolean measure) {
            throw new UnsupportedOperationException("insights are not measured by " + getClass().getName());
        }

        /** A {@link ProgressListener#consoleBar() console progress bar} for every call: {@code progress(consoleBar())}. */
        default Builder progressBar() {
            return progress(ProgressListener.consoleBar());
        }

        ProcessPool build();
    }
}
