package org.multiprocessing4j.internal.pool;

import org.multiprocessing4j.internal.wire.ValueCodec;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.Serializable;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.ChildStartException;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.PoolInsights;
import org.multiprocessing4j.ProcessPool;
import org.multiprocessing4j.ProgressListener;
import org.multiprocessing4j.SerializableBiFunction;
import org.multiprocessing4j.SerializableCallable;
import org.multiprocessing4j.SerializableFunction;
import org.multiprocessing4j.TaskTimeoutException;
import org.multiprocessing4j.WorkerLostException;
import org.multiprocessing4j.internal.launch.ExitCodes;
import org.multiprocessing4j.internal.wire.PlainFrames;
import org.multiprocessing4j.internal.wire.Serializers;
import org.multiprocessing4j.internal.events.Events;
import org.multiprocessing4j.internal.events.WorkerLostEvent;
import org.multiprocessing4j.spi.Chunks;
import org.multiprocessing4j.spi.Invocations;
import org.multiprocessing4j.spi.PoolConfig;
import org.multiprocessing4j.internal.wire.CapturedLambda;

/**
 * The local backend's {@link ProcessPool}: worker JVMs fed over Unix domain sockets.
 *
 * <p><b>Implementation notes.</b>
 * <ul>
 *   <li><i>Lifecycle</i>, as {@code ThreadPoolExecutor}: RUNNING → SHUTDOWN (no new tasks; queued ones
 *       still run) → TERMINATED once the queue is empty, every worker has answered and exited; or
 *       RUNNING/SHUTDOWN → STOP ({@link #shutdownNow()}: queued tasks returned, workers killed) →
 *       TERMINATED. A pool whose workers cannot start (a bad JVM option, a failing initializer) is
 *       <i>broken</i>: its tasks fail with the reason and it shuts down.</li>
 *   <li><i>Dispatch.</i> Tasks wait in one queue. Each connected worker has a feeder thread that takes
 *       tasks when the worker has room and sends them, several to a frame, and a reader thread that
 *       completes their futures from the results. A worker's room depends on how long its tasks take:
 *       1 in flight until it is known, then 64 for tasks under a millisecond (to hide the round trip),
 *       else 2 (one running, one waiting), so that long tasks spread over the workers; a busy worker
 *       takes more only while no other connected worker is idle.</li>
 *   <li><i>Failure.</i> A worker whose connection ends without being told to exit has died. Its
 *       {@link TaskMarks} say which task it was running: that one fails with
 *       {@link WorkerLostException}, or {@link TaskTimeoutException} if the pool killed it for
 *       overrunning; the others it held (finished but unanswered, or never started) go back to the
 *       front of the queue, and a replacement starts. {@code shutdownNow} first stops every worker
 *       through its marks (no task may start after), so the tasks it returns never started.</li>
 *   <li><i>Concurrency.</i> One {@link ReentrantLock} guards the queue, the workers' state and the
 *       pool state; {@code changed} is signalled on every change a feeder waits for. Sockets are
 *       written by feeders and read by readers outside the lock; futures are completed outside it.</li>
 * </ul>
 */
public final class LocalPool implements ProcessPool {
    private static final int RUNNING = 0;
    private static final int SHUTDOWN = 1;
    private static final int STOP = 2;
    private static final int TERMINATED = 3;
    private static final int ROOM_UNKNOWN = 1;
    private static final int ROOM_FAST = 64;
    /** One running, one waiting: no idle round trip between long tasks, and little imbalance at the end. */
    private static final int ROOM_SLOW = 2;
    private static final long FAST_TASK_NANOS = 1_000_000;
    private static final int MAX_BATCH = 64;
    private static final Duration EXIT_CODE_WAIT = Duration.ofSeconds(2);
    private static final AtomicInteger POOLS = new AtomicInteger();
    private static final byte[] NO_BYTES = new byte[0];

    private final PoolConfig config;
    private final Context context;
    private final PoolServer server;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<PoolTask<?>> queue = new ArrayDeque<>();   // guarded by lock
    private final List<WorkerHandle> workers = new ArrayList<>();      // guarded by lock
    private final FunctionTable functions = new FunctionTable();
    private final AtomicLong taskIds = new AtomicLong();
    private final AtomicInteger workerIds = new AtomicInteger();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final InsightsBook insights = new InsightsBook(); // guarded by lock
    private int state = RUNNING;            // guarded by lock
    private Throwable broken;               // guarded by lock
    private int failedStarts;               // guarded by lock
    /** Workers gone whose tasks' futures are still being completed (outside the lock). Guarded by lock. */
    private int completing;

    public LocalPool(Context context, PoolConfig config) {
        this.context = context;
        this.config = config;
        try {
            this.server = new PoolServer("pool-" + POOLS.incrementAndGet(), this::accepted);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the pool's socket: " + e, e);
        }
        lock.lock();
        try {
            for (int i = 0; i < config.processes(); i++) {
                startWorker();
            }
        } finally {
            lock.unlock();
        }
        if (config.taskTimeout() != null) {
            Thread.ofVirtual().name("mp4j-pool-watchdog").start(
                    new TaskWatchdog(config.taskTimeout(), lock, workers, terminated));
        }
    }

    // ---------------------------------------------------------------- submission

    @Override
    public <R> CompletableFuture<R> applyAsync(SerializableCallable<R> task) {
        Objects.requireNonNull(task, "task");
        return enqueueCall(task, task);
    }

    @Override
    public <R> R apply(SerializableCallable<R> task) {
        return applyAsync(task).join();
    }

    @Override
    public <T> Future<T> submit(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        return enqueueCall(requireSerializable(task), task);
    }

    /** The result stays here: only the task travels, and the future yields this very object. */
    @Override
    public <T> Future<T> submit(Runnable task, T result) {
        Objects.requireNonNull(task, "task");
        byte[] payload = FunctionTable.serialize(new RunnableCall(requireSerializable(task)), task);
        PoolTask<T> future = new PoolTask<>(this, taskIds.incrementAndGet(), Protocol.CALL, -1, payload);
        future.resultOverride(result); // before it is queued: a quick worker may answer before enqueue returns
        enqueue(List.of(future));
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
        int fnId = define(fn);
        List<Object[]> slices = Chunks.slices(list, size);
        ProgressTracker tracker = ProgressTracker.start(listener, operation, list.size());
        List<CompletableFuture<Object[]>> chunks = chunks(fnId, slices);
        CompletableFuture<List<R>> result = Chunks.gather(chunks, false);
        result.whenComplete((v, e) -> forget(fnId));
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
            List<Long> pids = new ArrayList<>();
            for (WorkerHandle w : workers) {
                if (w.connected && !w.gone) {
                    pids.add(w.process.pid());
                }
            }
            return pids;
        } finally {
            lock.unlock();
        }
    }

    /** Defines {@code fn} in workers as it is first needed ({@link FunctionTable#define}); its id. */
    int define(SerializableFunction<?, ?> fn) {
        return functions.define(fn);
    }

    /** Drops a map's function once its map is over ({@link FunctionTable#forget}). */
    void forget(int fnId) {
        functions.forget(fnId);
    }

    /** A definition's bytes (a function, a stateless callable, a lambda's shape), or null if dropped. */
    byte[] definition(int fnId) {
        return functions.definition(fnId);
    }

    /** Enqueues chunks for function {@code fnId} at once: one lock, one wake-up for all of them. */
    List<CompletableFuture<Object[]>> chunks(int fnId, List<Object[]> chunks) {
        List<PoolTask<Object[]>> tasks = new ArrayList<>(chunks.size());
        try {
            for (Object[] items : chunks) {
                tasks.add(new PoolTask<>(this, taskIds.incrementAndGet(), Protocol.CHUNK, fnId, ChunkCodec.encode(items)));
            }
        } catch (NotSerializableException e) {
            throw new RejectedExecutionException("an item cannot be sent to a worker: " + e.getMessage()
                    + " is not Serializable", e);
        } catch (IOException e) {
            throw new RejectedExecutionException("the items cannot be serialized: " + e, e);
        }
        enqueue(tasks);
        return List.copyOf(tasks);
    }

    private static <T> T requireSerializable(T task) {
        if (!(task instanceof Serializable)) {
            throw new RejectedExecutionException(task.getClass().getName() + " is not Serializable, so it cannot be sent "
                    + "to a worker process; use a SerializableCallable/SerializableRunnable lambda or make the class Serializable");
        }
        return task;
    }

    /**
     * A CALL task. One that holds no state is defined once per worker, as a map's function is, and its
     * tasks carry only its id: no bytes to copy, hash or deserialize per task on either side.
     */
    private <T> PoolTask<T> enqueueCall(Object callable, Object task) {
        if (!FunctionTable.isStateless(callable)) {
            java.lang.invoke.SerializedLambda parts = CapturedLambda.takeApart(callable);
            if (parts != null) {
                return enqueue(Protocol.CAPTURED, functions.shapeId(callable.getClass(), parts),
                        FunctionTable.capturedValues(parts, task));
            }
            return enqueue(Protocol.CALL, -1, FunctionTable.serialize(callable, task));
        }
        byte[] bytes = FunctionTable.serialize(callable, task);
        return enqueue(Protocol.CALL, functions.statelessId(callable.getClass(), bytes), bytes);
    }

    private <T> PoolTask<T> enqueue(byte kind, int fnId, byte[] payload) {
        PoolTask<T> task = new PoolTask<>(this, taskIds.incrementAndGet(), kind, fnId, payload);
        enqueue(List.of(task));
        return task;
    }

    private void enqueue(List<? extends PoolTask<?>> tasks) {
        lock.lock();
        try {
            if (state != RUNNING) {
                throw new RejectedExecutionException(broken != null ? "the pool is broken: " + broken : "the pool is shut down", broken);
            }
            queue.addAll(tasks);
            if (someFeederCanTake()) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- workers

    /** Guarded by lock. */
    private void startWorker() {
        int id = workerIds.incrementAndGet();
        java.nio.file.Path marksFile = server.file("worker-" + id + ".marks");
        TaskMarks marks;
        try {
            marks = TaskMarks.create(marksFile);
        } catch (IOException | RuntimeException e) {
            breakPool(new IllegalStateException("cannot create a pool worker's task marks " + marksFile + ": " + e, e));
            return;
        }
        ChildProcess process = context.process(WorkerMain.launchTarget(server.path(), marksFile.toString(), id,
                config.initializer(), config.maxMemoryPerChild() > 0, config.insights()))
                .name("PoolWorker-" + id)
                .daemon(true)
                .jvmOptions(config.jvmOptions().toArray(String[]::new));
        WorkerHandle worker = new WorkerHandle(id, process, marks, marksFile);
        workers.add(worker);
        Thread.ofVirtual().name("mp4j-start-worker-" + id).start(() -> {
            try {
                process.start();
                process.onExit().whenComplete((p, e) -> exitedUnconnected(worker, e));
            } catch (RuntimeException e) {
                lock.lock();
                try {
                    worker.gone = true;
                    workers.remove(worker);
                    release(worker);
                    breakPool(e);
                } finally {
                    lock.unlock();
                }
            }
        });
    }

    private void accepted(SocketChannel channel, DataInputStream in, DataOutputStream out) {
        try {
            byte[] hello = PlainFrames.read(in, 1 << 20);
            if (hello == null) {
                channel.close();
                return;
            }
            DataInputStream message = new DataInputStream(new ByteArrayInputStream(hello));
            byte type = message.readByte();
            int id = message.readInt();
            WorkerHandle worker = find(id);
            if (worker == null) {
                channel.close();
                return;
            }
            if (type == Protocol.INIT_FAILED) {
                Throwable cause = decodeThrowable(Protocol.readBytes(message));
                lock.lock();
                try {
                    breakPool(new IllegalStateException("the pool's initializer failed in " + worker.process.name(), cause));
                } finally {
                    lock.unlock();
                }
                channel.close();
                return;
            }
            lock.lock();
            try {
                worker.channel = channel;
                worker.in = in;
                worker.out = out;
                worker.connected = true;
                worker.connectedAt = System.nanoTime();
                failedStarts = 0;
                if (state >= STOP) {
                    worker.retiring = true;
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            Thread.ofPlatform().daemon().name("mp4j-feed-" + id).start(() -> feed(worker));
            Thread.ofPlatform().daemon().name("mp4j-read-" + id).start(() -> read(worker));
        } catch (IOException e) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the worker will be seen dead by its exit
            }
        }
    }

    private WorkerHandle find(int id) {
        lock.lock();
        try {
            for (WorkerHandle w : workers) {
                if (w.id == id && !w.gone) {
                    return w;
                }
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** A worker whose JVM ended before it connected: a start-up failure, or killed while booting. */
    private void exitedUnconnected(WorkerHandle worker, Throwable failure) {
        lock.lock();
        try {
            if (worker.connected || worker.gone) {
                return;
            }
            worker.gone = true;
            workers.remove(worker);
            release(worker);
            if (failure instanceof CompletionException c && c.getCause() != null) {
                failure = c.getCause();
            }
            if (failure instanceof ChildStartException) {
                breakPool(failure);
            } else if (!worker.retiring && state < STOP) {
                if (++failedStarts > 3 * config.processes()) {
                    breakPool(new IllegalStateException(failedStarts + " workers in a row died before they connected; last: "
                            + worker.process + "\n" + worker.process.stderrTail()));
                } else {
                    startWorker();
                }
            }
            tryTerminate();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Guarded by lock. Fails everything queued with {@code cause} and shuts the pool down. */
    private void breakPool(Throwable cause) {
        if (broken == null) {
            broken = cause;
        }
        for (PoolTask<?> task : queue) {
            task.completeExceptionally(cause);
        }
        queue.clear();
        if (state == RUNNING) {
            state = SHUTDOWN;
        }
        tryTerminate();
        changed.signalAll();
    }

    // ---------------------------------------------------------------- feeding and reading

    private void feed(WorkerHandle worker) {
        while (true) {
            List<PoolTask<?>> batch = new ArrayList<>();
            boolean exit = false;
            lock.lock();
            try {
                while (true) {
                    if (worker.gone || worker.exitSent) {
                        return;
                    }
                    if (worker.retiring && worker.outstanding.isEmpty()) {
                        worker.exitSent = true;
                        exit = true;
                        break;
                    }
                    if (!worker.retiring && worker.kill == WorkerHandle.Kill.NONE && state < STOP
                            && !queue.isEmpty() && hasRoom(worker)) {
                        take(worker, batch);
                        if (!batch.isEmpty()) {
                            break;
                        }
                    }
                    changed.awaitUninterruptibly();
                }
            } finally {
                lock.unlock();
            }
            try {
                if (exit) {
                    worker.out.writeInt(1);
                    worker.out.writeByte(Protocol.EXIT);
                    worker.out.flush();
                    return;
                }
                send(worker, batch);
            } catch (IOException e) {
                return; // the reader sees the connection end and accounts for the batch
            }
        }
    }

    /**
     * Guarded by lock. Whether new tasks could go to some worker now. While every worker is full (a
     * burst of submissions), waking the feeders for each task would only send them back to sleep: two
     * thread wake-ups per task, most of a small task's cost here.
     */
    private boolean someFeederCanTake() {
        for (WorkerHandle worker : workers) {
            if (worker.connected && !worker.gone && !worker.exitSent && !worker.retiring
                    && worker.kill == WorkerHandle.Kill.NONE && hasRoom(worker)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Guarded by lock. A worker with nothing takes work; one already busy takes more only up to its room,
     * and only while no other worker sits idle or is still starting (that one should have it). Long tasks are taken
     * ahead only while the queue holds more than one per worker: a task waiting behind a long one while
     * another worker has finished everything would keep the whole map waiting, as CPython's workers,
     * which take a task only when free, never do.
     */
    private boolean hasRoom(WorkerHandle worker) {
        if (worker.outstanding.isEmpty()) {
            return true;
        }
        int room = room(worker);
        if (worker.outstanding.size() >= room) {
            return false;
        }
        int others = 0;
        for (WorkerHandle other : workers) {
            if (other != worker && !other.retiring && !other.gone) {
                if (!other.connected || other.outstanding.isEmpty()) {
                    return false; // idle, or starting: it takes the task when free, as CPython's workers do
                }
                others++;
            }
        }
        return room != ROOM_SLOW || queue.size() > others;
    }

    private int room(WorkerHandle worker) {
        if (worker.averageTaskNanos == 0) {
            return ROOM_UNKNOWN;
        }
        return worker.averageTaskNanos < FAST_TASK_NANOS ? ROOM_FAST : ROOM_SLOW;
    }

    /** Guarded by lock. Moves up to a fair share of the queue to {@code worker}. */
    private void take(WorkerHandle worker, List<PoolTask<?>> batch) {
        int budget = config.maxTasksPerChild() > 0 ? config.maxTasksPerChild() - worker.sent : Integer.MAX_VALUE;
        int share = Math.max(1, queue.size() / Math.max(1, workers.size()));
        int limit = Math.min(Math.min(room(worker) - worker.outstanding.size(), budget), Math.min(share, MAX_BATCH));
        while (batch.size() < limit && !queue.isEmpty()) {
            PoolTask<?> task = queue.pollFirst();
            if (task.isDone()) {
                continue; // cancelled while queued
            }
            if (worker.outstanding.isEmpty()) {
                worker.headSince = System.nanoTime();
            }
            worker.outstanding.addLast(task);
            batch.add(task);
        }
        worker.sent += batch.size();
        if (config.maxTasksPerChild() > 0 && worker.sent >= config.maxTasksPerChild()) {
            retire(worker);
        }
        if (queue.isEmpty()) {
            tryTerminate(); // the last queued tasks may have been cancelled ones
        }
    }

    /** Guarded by lock. The worker gets no more tasks, exits once it has answered, and is replaced. */
    private void retire(WorkerHandle worker) {
        if (worker.retiring) {
            return;
        }
        worker.retiring = true;
        if (state == RUNNING || (state == SHUTDOWN && !queue.isEmpty())) {
            startWorker();
        }
        changed.signalAll();
    }

    private void send(WorkerHandle worker, List<PoolTask<?>> batch) throws IOException {
        Protocol.Writer frame = worker.frame;
        for (PoolTask<?> task : batch) {
            if (task.fnId >= 0 && worker.defined.add(task.fnId)) {
                byte[] fn = functions.definition(task.fnId);
                if (fn == null) {
                    fn = new byte[0]; // the map was abandoned; the worker fails the chunk
                }
                frame.writeByte(Protocol.DEFINE).writeInt(task.fnId).writeBytes(fn).writeTo(worker.out);
            }
        }
        frame.writeByte(Protocol.TASKS).writeInt(batch.size());
        for (PoolTask<?> task : batch) {
            frame.writeLong(task.id).writeByte(task.kind).writeInt(task.fnId)
                    .writeBytes(task.kind == Protocol.CALL && task.fnId >= 0 ? NO_BYTES : task.payload);
        }
        frame.writeTo(worker.out);
        worker.out.flush();
    }

    private void read(WorkerHandle worker) {
        try {
            while (true) {
                byte[] frame = PlainFrames.read(worker.in, Protocol.MAX_FRAME);
                if (frame == null) {
                    break;
                }
                results(worker, new Protocol.Reader(frame));
            }
        } catch (IOException e) {
            // the worker died, or sent something that is not ours: either way it is gone
        }
        ended(worker);
    }

    private void results(WorkerHandle worker, Protocol.Reader message) throws IOException {
        if (message.readByte() != Protocol.RESULTS) {
            throw new IOException("unexpected message from " + worker);
        }
        long rss = message.readLong();
        int n = message.readInt();
        if (n < 0 || n > Protocol.MAX_FRAME / 13) {
            throw new IOException("corrupt message: " + n + " results");
        }
        PoolTask<?>[] tasks = new PoolTask<?>[n];
        byte[][] payloads = new byte[n][];
        boolean[] oks = new boolean[n];
        lock.lock();
        try {
            long now = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long id = message.readLong();
                boolean ok = message.readByte() == Protocol.OK;
                byte[] payload = message.readBytes();
                PoolTask<?> task = worker.outstanding.pollFirst();
                if (task == null || task.id != id) {
                    throw new IOException("result for task " + id + " out of order from " + worker);
                }
                tasks[i] = task;
                payloads[i] = payload;
                oks[i] = ok;
            }
            if (config.insights()) {
                insights.read(worker, message);
            }
            long perTask = (now - worker.headSince) / Math.max(1, n);
            worker.averageTaskNanos = worker.averageTaskNanos == 0 ? Math.max(1, perTask)
                    : Math.max(1, (worker.averageTaskNanos * 3 + perTask) / 4);
            worker.headSince = now;
            if (config.maxMemoryPerChild() > 0 && rss > config.maxMemoryPerChild()) {
                retire(worker);
            }
            tryTerminate();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        for (int i = 0; i < n; i++) {
            complete(tasks[i], oks[i], payloads[i]);
        }
    }

    @Override
    public PoolInsights insights() {
        if (!config.insights()) {
            throw new IllegalStateException("insights are not measured by this pool: build it with "
                    + "ctx.poolBuilder().insights(true)");
        }
        lock.lock();
        try {
            return insights.snapshot(workers);
        } finally {
            lock.unlock();
        }
    }

    @SuppressWarnings("unchecked")
    private static void complete(PoolTask<?> task, boolean ok, byte[] payload) {
        try {
            Object value = !ok ? Serializers.get().deserialize(payload)
                    : task.kind == Protocol.CHUNK ? ChunkCodec.decode(payload) : ValueCodec.decode(payload);
            if (ok) {
                ((PoolTask<Object>) task).complete(task.hasResultOverride() ? task.resultOverride() : value);
            } else {
                task.completeExceptionally((Throwable) value);
            }
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            task.completeExceptionally(new IllegalStateException("the result of task " + task.id
                    + " cannot be read here: " + e, e));
        }
    }

    private static Throwable decodeThrowable(byte[] bytes) {
        try {
            return (Throwable) Serializers.get().deserialize(bytes);
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            return e;
        }
    }

    /** The worker's connection ended: it exited as told, or it died. */
    private void ended(WorkerHandle worker) {
        boolean expected;
        lock.lock();
        try {
            expected = worker.retiring && worker.outstanding.isEmpty() && worker.kill == WorkerHandle.Kill.NONE;
        } finally {
            lock.unlock();
        }
        // The connection ends as the process exits or dies; wait for the process itself, so that a
        // terminated pool has no worker left, and so that a lost worker's exit code is known.
        if (!worker.process.join(EXIT_CODE_WAIT)) {
            worker.process.kill();
            worker.process.join(EXIT_CODE_WAIT);
        }
        int code = worker.process.exitCode().orElse(Integer.MIN_VALUE);
        String exit = code == Integer.MIN_VALUE ? "its connection closed and it has not exited" : ExitCodes.describe(code);
        List<PoolTask<?>> failed = new ArrayList<>();
        List<PoolTask<?>> cancelledByStop = new ArrayList<>();
        WorkerHandle.Kill kill;
        lock.lock();
        try {
            worker.gone = true;
            workers.remove(worker);
            insights.keep(worker);
            completing++; // the pool does not terminate before this worker's tasks are completed below
            kill = worker.kill;
            PoolTask<?> running = worker.running();
            List<PoolTask<?>> again = new ArrayList<>(worker.outstanding.size());
            for (PoolTask<?> task : worker.outstanding) {
                if (task.isDone()) {
                    continue; // cancelled while it waited at the worker, or while it ran: nothing to run again
                }
                if (task == running && (kill == WorkerHandle.Kill.NONE || task == worker.killedFor)) {
                    failed.add(task); // it was running when the worker died: its own doing, or what we killed
                } else if (state >= STOP) {
                    cancelledByStop.add(task);
                } else {
                    // computed but unanswered (its result died with the worker), never started, or
                    // running when we killed the worker for another task: run it again
                    again.add(task);
                }
            }
            worker.outstanding.clear();
            for (int i = again.size() - 1; i >= 0; i--) {
                queue.addFirst(again.get(i));
            }
            release(worker);
            boolean workLeft = !queue.isEmpty();
            if (state == RUNNING && !worker.retiring || (state <= SHUTDOWN && workLeft && !hasWorkersFor())) {
                startWorker();
            }
            tryTerminate();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        closeQuietly(worker);
        cancelledByStop.forEach(t -> t.cancel(false));
        for (PoolTask<?> task : failed) {
            task.completeExceptionally(switch (kill) {
                case TIMEOUT -> new TaskTimeoutException("the task ran longer than the pool's taskTimeout of "
                        + config.taskTimeout() + "; " + worker.process.name() + " (pid " + worker.process.pid()
                        + ") was killed and replaced");
                case CANCEL, SHUTDOWN -> new CancellationException("the task was cancelled; its worker was killed");
                case NONE -> new WorkerLostException(worker.process.name(), worker.process.pid(), code, exit,
                        worker.process.stderrTail());
            });
            if (kill == WorkerHandle.Kill.NONE && Events.recording()) {
                WorkerLostEvent event = new WorkerLostEvent();
                event.pid = worker.process.pid();
                event.exitCode = code;
                event.taskId = task.id;
                event.commit();
            }
        }
        lock.lock();
        try {
            completing--;
            tryTerminate();
        } finally {
            lock.unlock();
        }
    }

    /** Guarded by lock. Unmaps and deletes a gone worker's task marks (once). */
    private static void release(WorkerHandle worker) {
        if (!worker.released) {
            worker.released = true;
            worker.marks.close();
            TaskMarks.delete(worker.marksFile);
        }
    }

    /** Guarded by lock: whether a live worker that is not retiring remains. */
    private boolean hasWorkersFor() {
        for (WorkerHandle w : workers) {
            if (!w.retiring && !w.gone) {
                return true;
            }
        }
        return false;
    }

    private static void closeQuietly(WorkerHandle worker) {
        try {
            if (worker.channel != null) {
                worker.channel.close();
            }
        } catch (IOException ignored) {
            // gone already
        }
    }

    // ---------------------------------------------------------------- timeouts and cancellation

    void cancelled(PoolTask<?> task, boolean mayInterrupt) {
        lock.lock();
        try {
            if (queue.remove(task)) {
                tryTerminate();
                return;
            }
            for (WorkerHandle w : workers) {
                // the task it runs, or the next it will start (nothing before it is left to run)
                boolean running = w.running() == task || (w.outstanding.peekFirst() == task && !w.hasStarted(task));
                if (running && mayInterrupt && w.kill == WorkerHandle.Kill.NONE) {
                    w.kill = WorkerHandle.Kill.CANCEL;
                    w.killedFor = task;
                    w.process.kill();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- lifecycle

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
            for (PoolTask<?> task : queue) {
                if (!task.isDone()) {
                    neverStarted.add(task);
                }
            }
            queue.clear();
            for (WorkerHandle w : workers) {
                // From here no task starts in this worker: the ones it has not started are returned;
                // the running one is cancelled; computed ones are delivered if their results are
                // already on their way, else cancelled when the worker ends.
                if (w.stoppedAt == WorkerHandle.NOT_STOPPED && !w.released) {
                    w.stoppedAt = w.marks.stop();
                }
                PoolTask<?> current = w.running();
                if (current != null) {
                    running.add(current);
                }
                List<PoolTask<?>> notStarted = new ArrayList<>();
                for (PoolTask<?> task : w.outstanding) {
                    if (!w.hasStarted(task)) {
                        notStarted.add(task);
                    }
                }
                w.outstanding.removeAll(notStarted); // the tail: no result will come for them
                for (PoolTask<?> task : notStarted) {
                    if (!task.isDone()) {
                        neverStarted.add(task);
                    }
                }
                w.retiring = true;
                if (w.kill == WorkerHandle.Kill.NONE) {
                    w.kill = WorkerHandle.Kill.SHUTDOWN;
                }
                if (w.process.isAlive() || !w.connected) {
                    killQuietly(w);
                }
            }
            tryTerminate();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        running.forEach(t -> t.cancel(false));
        return neverStarted;
    }

    private static void killQuietly(WorkerHandle w) {
        try {
            w.process.kill();
        } catch (IllegalStateException e) {
            // not started yet: its start will see the pool stopped
        }
    }

    /** Guarded by lock. Retires the workers once no work is left, and terminates once they are gone. */
    private void tryTerminate() {
        if (state == RUNNING || state == TERMINATED) {
            return;
        }
        if (state == SHUTDOWN) {
            queue.removeIf(PoolTask::isDone);
            if (!queue.isEmpty()) {
                return;
            }
            for (WorkerHandle w : workers) {
                for (PoolTask<?> task : w.outstanding) {
                    if (!task.isDone()) {
                        return; // (a cancelled task still running is waited for: the worker exits after it)
                    }
                }
            }
        }
        for (WorkerHandle w : workers) {
            w.retiring = true;
            if (!w.connected) {
                killQuietly(w);
            }
        }
        if (workers.isEmpty() && completing == 0) {
            state = TERMINATED;
            server.close();
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
            return "LocalPool[" + s + ", processes = " + config.processes() + ", workers = " + workers.size()
                    + ", queued tasks = " + queue.size() + "]";
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
