package org.multiprocessing4j.internal.pool;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.PoolInsights;
import org.multiprocessing4j.ProcessPool;
import org.multiprocessing4j.ProgressListener;
import org.multiprocessing4j.SerializableBiFunction;
import org.multiprocessing4j.SerializableCallable;
import org.multiprocessing4j.SerializableFunction;
import org.multiprocessing4j.spi.Chunks;
import org.multiprocessing4j.spi.Invocations;
import org.multiprocessing4j.spi.PoolConfig;

/**
 * The local backend's {@link ProcessPool}: worker JVMs fed over Unix domain sockets. This class is
 * the pool's surface and its lifecycle; its rooms are the {@link Dispatcher} (the queue, choosing a
 * worker, sending tasks and reading results), the {@link WorkerSupervisor} (starting workers, their
 * loss and replacement), the {@link FunctionTable} (what is defined once per worker), the
 * {@link TaskWatchdog} ({@code taskTimeout}) and the {@link InsightsBook}.
 *
 * <p><b>Implementation notes.</b>
 * <ul>
 *   <li><i>Lifecycle</i>, as {@code ThreadPoolExecutor}: RUNNING → SHUTDOWN (no new tasks; queued ones
 *       still run) → TERMINATED once the queue is empty, every worker has answered and exited; or
 *       RUNNING/SHUTDOWN → STOP ({@link #shutdownNow()}: queued tasks returned, workers killed) →
 *       TERMINATED. A pool whose workers cannot start (a bad JVM option, a failing initializer) is
 *       <i>broken</i>: its tasks fail with the reason and it shuts down.</li>
 *   <li><i>Concurrency.</i> One {@link ReentrantLock}, made here and shared by the rooms, guards the
 *       queue, the workers' state and the pool state; {@code changed} is signalled on every change a
 *       feeder waits for. Methods documented "guarded by lock" are called with it held.</li>
 * </ul>
 */
public final class LocalPool implements ProcessPool {
    private static final int RUNNING = 0;
    private static final int SHUTDOWN = 1;
    private static final int STOP = 2;
    private static final int TERMINATED = 3;

    private final PoolConfig config;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final InsightsBook insights = new InsightsBook(); // guarded by lock
    private final CountDownLatch terminated = new CountDownLatch(1);
    final Dispatcher dispatcher;
    final WorkerSupervisor supervisor;
    private int state = RUNNING;            // guarded by lock
    private Throwable broken;               // guarded by lock

    public LocalPool(Context context, PoolConfig config) {
        this.config = config;
        this.dispatcher = new Dispatcher(this, config, lock, changed, insights);
        this.supervisor = new WorkerSupervisor(this, context, config, lock, changed, insights);
        lock.lock();
        try {
            for (int i = 0; i < config.processes(); i++) {
                supervisor.start();
            }
        } finally {
            lock.unlock();
        }
        if (config.taskTimeout() != null) {
            Thread.ofVirtual().name("mp4j-pool-watchdog").start(
                    new TaskWatchdog(config.taskTimeout(), lock, supervisor.all(), terminated));
        }
    }

    // ---------------------------------------------------------------- submission

    @Override
    public <R> CompletableFuture<R> applyAsync(SerializableCallable<R> task) {
        Objects.requireNonNull(task, "task");
        return dispatcher.call(task, task);
    }

    @Override
    public <R> R apply(SerializableCallable<R> task) {
        return applyAsync(task).join();
    }

    @Override
    public <T> Future<T> submit(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        return dispatcher.call(requireSerializable(task), task);
    }

    /** The result stays here: only the task travels, and the future yields this very object. */
    @Override
    public <T> Future<T> submit(Runnable task, T result) {
        Objects.requireNonNull(task, "task");
        byte[] payload = FunctionTable.serialize(new RunnableCall(requireSerializable(task)), task);
        PoolTask<T> future = dispatcher.task(Protocol.CALL, -1, payload);
        future.resultOverride(result); // before it is queued: a quick worker may answer before enqueue returns
        dispatcher.enqueue(List.of(future));
        return future;
    }

    @Override
    public Future<?> submit(Runnable task) {
        return submit(task, null);
    }

    @Override
    public void execute(Runnable command) {
        submit(command);
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        return invokeAll(tasks, config.progress());
    }

    <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, ProgressListener listener)
            throws InterruptedException {
        ProgressTracker tracker = ProgressTracker.start(listener, "invokeAll", Objects.requireNonNull(tasks, "tasks").size());
        List<Future<T>> futures = submitAll(tasks, tracker);
        Invocations.awaitAll(futures);
        awaitFinished(tracker);
        return futures;
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException {
        return invokeAll(tasks, timeout, unit, config.progress());
    }

    <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit,
            ProgressListener listener) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        ProgressTracker tracker = ProgressTracker.start(listener, "invokeAll", Objects.requireNonNull(tasks, "tasks").size());
        List<Future<T>> futures = submitAll(tasks, tracker);
        Invocations.awaitAll(futures, deadline);
        awaitFinished(tracker);
        return futures;
    }

    private static void awaitFinished(ProgressTracker tracker) {
        if (tracker != null) {
            tracker.awaitFinished();
        }
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        return Invocations.invokeAny(task -> (PoolTask<T>) submit(task), tasks, timeout, unit);
    }

    private <T> List<Future<T>> submitAll(Collection<? extends Callable<T>> tasks, ProgressTracker tracker) {
        List<Future<T>> futures = new ArrayList<>(tasks.size());
        try {
            for (Callable<T> task : tasks) {
                PoolTask<T> future = (PoolTask<T>) submit(task);
                futures.add(future);
                if (tracker != null) {
                    tracker.watch(future, 1);
                }
            }
        } catch (RuntimeException e) {
            futures.forEach(f -> f.cancel(true));
            if (tracker != null) {
                tracker.close();
            }
            throw e;
        }
        if (tracker != null) {
            tracker.close();
        }
        return futures;
    }

    // ---------------------------------------------------------------- Python's map family

    @Override
    public <T, R> CompletableFuture<List<R>> mapAsync(SerializableFunction<? super T, ? extends R> fn,
            Iterable<? extends T> items) {
        return mapAsync(fn, items, 0, config.progress(), "map");
    }

    @Override
    public <T, R> CompletableFuture<List<R>> mapAsync(SerializableFunction<? super T, ? extends R> fn,
            Iterable<? extends T> items, int chunksize) {
        Chunks.requirePositive(chunksize);
        return mapAsync(fn, items, chunksize, config.progress(), "map");
    }

    /** {@code chunksize} 0: Python's. With a listener, the result completes once it has been told the end. */
    <T, R> CompletableFuture<List<R>> mapAsync(SerializableFunction<? super T, ? extends R> fn,
            Iterable<? extends T> items, int chunksize, ProgressListener listener, String operation) {
        Objects.requireNonNull(fn, "fn");
        List<? extends T> list = Chunks.materialize(items);
        int size = chunksize == 0 ? Chunks.pythonChunksize(list.size(), config.processes()) : chunksize;
        int fnId = dispatcher.define(fn);
        List<Object[]> slices = Chunks.slices(list, size);
        ProgressTracker tracker = ProgressTracker.start(listener, operation, list.size());
        List<CompletableFuture<Object[]>> chunks = dispatcher.chunks(fnId, slices);
        CompletableFuture<List<R>> result = Chunks.gather(chunks, false);
        result.whenComplete((v, e) -> dispatcher.forget(fnId));
        if (tracker == null) {
            return result;
        }
        for (int i = 0; i < chunks.size(); i++) {
            tracker.watch(chunks.get(i), slices.get(i).length);
        }
        tracker.close();
        return Chunks.after(result, tracker.finished());
    }

    @Override
    public <T, R> Iterator<R> imap(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items, int chunksize) {
        return new Imap<>(this, fn, items, chunksize, true, 0, config.progress());
    }

    @Override
    public <T, R> Iterator<R> imap(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items,
            int chunksize, int buffersize) {
        return new Imap<>(this, fn, items, chunksize, true, Imap.requireBuffersize(buffersize), config.progress());
    }

    @Override
    public <T, R> Iterator<R> imapUnordered(SerializableFunction<? super T, ? extends R> fn,
            Iterable<? extends T> items, int chunksize, int buffersize) {
        return new Imap<>(this, fn, items, chunksize, false, Imap.requireBuffersize(buffersize), config.progress());
    }

    @Override
    public <T, R> Iterator<R> imapUnordered(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items,
            int chunksize) {
        return new Imap<>(this, fn, items, chunksize, false, 0, config.progress());
    }

    @Override
    public <A, B, R> List<R> starmap(SerializableBiFunction<A, B, R> fn, Iterable<? extends Map.Entry<A, B>> args) {
        return starmap(fn, args, config.progress());
    }

    <A, B, R> List<R> starmap(SerializableBiFunction<A, B, R> fn, Iterable<? extends Map.Entry<A, B>> args,
            ProgressListener listener) {
        Objects.requireNonNull(fn, "fn");
        List<Map.Entry<A, B>> pairs = Chunks.entries(args);
        SerializableFunction<Map.Entry<A, B>, R> spread = e -> fn.apply(e.getKey(), e.getValue());
        return this.<Map.Entry<A, B>, R>mapAsync(spread, pairs, 0, listener, "starmap").join();
    }

    @Override
    public ProcessPool withProgress(ProgressListener listener) {
        return new ProgressView(this, Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public int processes() {
        return config.processes();
    }

    @Override
    public List<Long> workerPids() {
        lock.lock();
        try {
            return supervisor.pids();
        } finally {
            lock.unlock();
        }
    }

    /** Defines {@code fn} in workers as it is first needed ({@link FunctionTable#define}); its id. */
    int define(SerializableFunction<?, ?> fn) {
        return dispatcher.define(fn);
    }

    /** Drops a map's function once its map is over ({@link FunctionTable#forget}). */
    void forget(int fnId) {
        dispatcher.forget(fnId);
    }

    /** A definition's bytes (a function, a stateless callable, a lambda's shape), or null if dropped. */
    byte[] definition(int fnId) {
        return dispatcher.definition(fnId);
    }

    /** Enqueues chunks for function {@code fnId} at once: one lock, one wake-up for all of them. */
    List<CompletableFuture<Object[]>> chunks(int fnId, List<Object[]> chunks) {
        return dispatcher.chunks(fnId, chunks);
    }

    private static <T> T requireSerializable(T task) {
        if (!(task instanceof Serializable)) {
            throw new RejectedExecutionException(task.getClass().getName() + " is not Serializable, so it cannot be sent "
                    + "to a worker process; use a SerializableCallable/SerializableRunnable lambda or make the class Serializable");
        }
        return task;
    }

    @Override
    public PoolInsights insights() {
        if (!config.insights()) {
            throw new IllegalStateException("insights are not measured by this pool: build it with "
                    + "ctx.poolBuilder().insights(true)");
        }
        lock.lock();
        try {
            return insights.snapshot(supervisor.all());
        } finally {
            lock.unlock();
        }
    }

    /** A task's future was cancelled: it leaves the queue, or, if it may interrupt, its worker is killed. */
    void cancelled(PoolTask<?> task, boolean mayInterrupt) {
        lock.lock();
        try {
            if (dispatcher.unqueue(task)) {
                tryTerminate();
                return;
            }
            if (mayInterrupt) {
                supervisor.killRunning(task);
            }
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- lifecycle

    /** Guarded by lock. Rejects new tasks unless the pool is RUNNING. */
    void requireRunning() {
        if (state != RUNNING) {
            throw new RejectedExecutionException(broken != null ? "the pool is broken: " + broken : "the pool is shut down", broken);
        }
    }

    /** Guarded by lock. */
    boolean running() {
        return state == RUNNING;
    }

    /** Guarded by lock: SHUTDOWN, queued tasks still to run. */
    boolean shuttingDown() {
        return state == SHUTDOWN;
    }

    /** Guarded by lock: STOP or TERMINATED, no task may start. */
    boolean stopping() {
        return state >= STOP;
    }

    /** Guarded by lock. Fails everything queued with {@code cause} and shuts the pool down. */
    void breakPool(Throwable cause) {
        if (broken == null) {
            broken = cause;
        }
        dispatcher.failQueued(cause);
        if (state == RUNNING) {
            state = SHUTDOWN;
        }
        tryTerminate();
        changed.signalAll();
    }

    @Override
    public void shutdown() {
        lock.lock();
        try {
            if (state == RUNNING) {
                state = SHUTDOWN;
            }
            tryTerminate();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Runnable> shutdownNow() {
        List<Runnable> neverStarted = new ArrayList<>();
        List<PoolTask<?>> running = new ArrayList<>();
        lock.lock();
        try {
            if (state < STOP) {
                state = STOP;
            }
            dispatcher.drain(neverStarted);
            supervisor.stopAll(neverStarted, running);
            tryTerminate();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        running.forEach(t -> t.cancel(false));
        return neverStarted;
    }

    /** Guarded by lock. Retires the workers once no work is left, and terminates once they are gone. */
    void tryTerminate() {
        if (state == RUNNING || state == TERMINATED) {
            return;
        }
        if (state == SHUTDOWN && (dispatcher.hasPending() || supervisor.busy())) {
            return;
        }
        supervisor.retireAll();
        if (supervisor.allGone()) {
            state = TERMINATED;
            supervisor.closeServer();
            terminated.countDown();
        }
        changed.signalAll();
    }

    @Override
    public boolean isShutdown() {
        lock.lock();
        try {
            return state != RUNNING;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isTerminated() {
        return terminated.getCount() == 0;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            String s = switch (state) {
                case RUNNING -> "Running";
                case SHUTDOWN -> "Shutting down";
                case STOP -> "Stopping";
                default -> "Terminated";
            };
            return "LocalPool[" + s + ", processes = " + config.processes() + ", workers = " + supervisor.all().size()
                    + ", queued tasks = " + dispatcher.queued() + "]";
        } finally {
            lock.unlock();
        }
    }

    /** A serializable Runnable as a Callable, for {@code submit(Runnable, result)}. */
    private record RunnableCall(Runnable task) implements Callable<Object>, Serializable {
        @Override
        public Object call() {
            task.run();
            return null;
        }
    }
}
