package org.multiprocessing4j.internal.pool;

import java.io.IOException;
import java.io.NotSerializableException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.multiprocessing4j.SerializableFunction;
import org.multiprocessing4j.internal.wire.ByteReader;
import org.multiprocessing4j.internal.wire.ByteWriter;
import org.multiprocessing4j.internal.wire.CapturedLambda;
import org.multiprocessing4j.internal.wire.PlainFrames;
import org.multiprocessing4j.internal.wire.Serializers;
import org.multiprocessing4j.internal.wire.ValueArrays;
import org.multiprocessing4j.internal.wire.ValueCodec;
import org.multiprocessing4j.spi.PoolConfig;

/**
 * A {@link LocalPool}'s dispatch: the queue of pending tasks, and for each connected worker the
 * feeder that chooses tasks for it and sends them, and the reader that completes their futures.
 *
 * <p><b>Implementation notes.</b>
 * <ul>
 *   <li><i>Dispatch.</i> Tasks wait in one queue. Each connected worker has a reader thread, which
 *       completes futures from the worker's results and, in the same pass, takes and sends the tasks the
 *       results made room for; and a feeder thread, which sends tasks that arrive while the worker has
 *       room, and EXIT when it retires. A steady stream of tasks thus costs one thread wake-up per result
 *       frame, not two. A worker's room depends on how long its tasks take: 1 in flight until it is
 *       known, then 64 for tasks under a millisecond (to hide the round trip), else 2 (one running, one
 *       waiting), so that long tasks spread over the workers; a busy worker takes more only while no
 *       other connected worker is idle, and a worker still starting counts as free (it takes the task
 *       when it connects).</li>
 *   <li><i>Concurrency.</i> The queue is guarded by the pool's lock, as are the workers' state;
 *       {@code changed} is signalled on every change a feeder waits for (a result signals it only if
 *       some feeder could act on it). A worker's socket is written under its {@code sendLock}, held
 *       from taking tasks to sending them so that they arrive in the order of its outstanding tasks;
 *       it is never waited for while the pool's lock is held (the feeder tries it under that lock and
 *       waits for it only after letting it go), and the reader only tries it (it must go on reading
 *       while the feeder is in a long write).
 *       The reader sends only while the worker has little unread ({@code readerSendBytes}), so its
 *       write never waits for the worker, which may itself be waiting to write a result.
 *       Sockets are read and written outside the pool's lock; futures are completed outside it. A
 *       worker's end, seen by its reader, goes to the {@link WorkerSupervisor}.</li>
 * </ul>
 */
final class Dispatcher {
    private static final int ROOM_UNKNOWN = 1;
    private static final int ROOM_FAST = 64;
    /** One running, one waiting: no idle round trip between long tasks, and little imbalance at the end. */
    private static final int ROOM_SLOW = 2;
    private static final long FAST_TASK_NANOS = 1_000_000;
    private static final int MAX_BATCH = 64;
    private static final byte[] NO_BYTES = new byte[0];

    private final LocalPool pool;
    private final PoolConfig config;
    private final ReentrantLock lock;
    private final Condition changed;
    private final InsightsBook insights;                               // guarded by lock
    private final ArrayDeque<PoolTask<?>> queue = new ArrayDeque<>(); // guarded by lock
    private final FunctionTable functions = new FunctionTable();
    private final AtomicLong taskIds = new AtomicLong();

    Dispatcher(LocalPool pool, PoolConfig config, ReentrantLock lock, Condition changed, InsightsBook insights) {
        this.pool = pool;
        this.config = config;
        this.lock = lock;
        this.changed = changed;
        this.insights = insights;
    }

    // ---------------------------------------------------------------- tasks and definitions

    /** A task of this pool's, not yet queued. */
    <T> PoolTask<T> task(byte kind, int fnId, byte[] payload) {
        return new PoolTask<>(pool, taskIds.incrementAndGet(), kind, fnId, payload);
    }

    /**
     * Queues a CALL task. One that holds no state is defined once per worker, as a map's function is,
     * and its tasks carry only its id: no bytes to copy, hash or deserialize per task on either side.
     */
    <T> PoolTask<T> call(Object callable, Object task) {
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
        PoolTask<T> task = task(kind, fnId, payload);
        enqueue(List.of(task));
        return task;
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
                tasks.add(task(Protocol.CHUNK, fnId, ValueArrays.encode(items)));
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

    void enqueue(List<? extends PoolTask<?>> tasks) {
        lock.lock();
        try {
            pool.requireRunning();
            queue.addAll(tasks);
            if (someFeederCanTake()) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- the queue, for the lifecycle and the supervisor

    /** Guarded by lock. Whether tasks that still await a worker remain (cancelled ones are dropped). */
    boolean hasPending() {
        queue.removeIf(PoolTask::isDone);
        return !queue.isEmpty();
    }

    /** Guarded by lock. Whether the queue holds any task (cancelled ones too). */
    boolean queueEmpty() {
        return queue.isEmpty();
    }

    /** Guarded by lock. */
    int queued() {
        return queue.size();
    }

    /** Guarded by lock. Puts a lost worker's tasks back at the front, in their order. */
    void requeueFirst(List<PoolTask<?>> tasks) {
        for (int i = tasks.size() - 1; i >= 0; i--) {
            queue.addFirst(tasks.get(i));
        }
    }

    /** Guarded by lock. Removes {@code task} if it is still queued; whether it was. */
    boolean unqueue(PoolTask<?> task) {
        return queue.remove(task);
    }

    /** Guarded by lock. Empties the queue into {@code into}, but for cancelled tasks ({@code shutdownNow}). */
    void drain(List<Runnable> into) {
        for (PoolTask<?> task : queue) {
            if (!task.isDone()) {
                into.add(task);
            }
        }
        queue.clear();
    }

    /** Guarded by lock. Fails everything queued with {@code cause} (the pool is broken). */
    void failQueued(Throwable cause) {
        for (PoolTask<?> task : queue) {
            task.completeExceptionally(cause);
        }
        queue.clear();
    }

    // ---------------------------------------------------------------- feeding

    /** A connected worker's feeder and reader threads. */
    void serve(WorkerHandle worker) {
        Thread.ofPlatform().daemon().name("mp4j-feed-" + worker.id).start(() -> feed(worker));
        Thread.ofPlatform().daemon().name("mp4j-read-" + worker.id).start(() -> read(worker));
    }

    /**
     * A worker's feeder: it sends tasks that arrive while the worker has room, and EXIT when the worker
     * retires. Tasks that a result makes room for are sent by the reader ({@link #results}), which saves
     * a thread wake-up per task; the feeder sleeps through those.
     */
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
                    if (worker.retiring && worker.outstanding.isEmpty() || canTake(worker)) {
                        if (worker.sendLock.tryLock()) {
                            if (worker.retiring && worker.outstanding.isEmpty()) {
                                worker.exitSent = true;
                                exit = true;
                                break;
                            }
                            take(worker, batch);
                            if (!batch.isEmpty()) {
                                break;
                            }
                            worker.sendLock.unlock();
                        } else {
                            // The reader is sending to this worker: wait for it outside the pool's lock
                            // (the reader takes the pool's lock while it holds its own), then look again.
                            lock.unlock();
                            try {
                                worker.sendLock.lock();
                                worker.sendLock.unlock();
                            } finally {
                                lock.lock();
                            }
                            continue;
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
            } finally {
                worker.sendLock.unlock();
            }
        }
    }

    /** Guarded by lock. Whether {@code worker} may be given tasks now (if any are queued that it has room for). */
    private boolean canTake(WorkerHandle worker) {
        return !worker.retiring && worker.kill == WorkerHandle.Kill.NONE && !pool.stopping()
                && !queue.isEmpty() && hasRoom(worker);
    }

    /**
     * Guarded by lock. Whether new tasks could go to some worker now. While every worker is full (a
     * burst of submissions), waking the feeders for each task would only send them back to sleep: two
     * thread wake-ups per task, most of a small task's cost here.
     */
    private boolean someFeederCanTake() {
        for (WorkerHandle worker : pool.supervisor.all()) {
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
        for (WorkerHandle other : pool.supervisor.all()) {
            if (other != worker && !other.retiring && !other.gone) {
                if (!other.connected || other.outstanding.isEmpty()) {
                    return false; // idle, or starting: it takes the task when free, as CPython's workers do
                }
                others++;
            }
        }
        return room != ROOM_SLOW || queue.size() > others;
    }

    private static int room(WorkerHandle worker) {
        if (worker.averageTaskNanos == 0) {
            return ROOM_UNKNOWN;
        }
        return worker.averageTaskNanos < FAST_TASK_NANOS ? ROOM_FAST : ROOM_SLOW;
    }

    /** Guarded by lock. Moves up to a fair share of the queue to {@code worker} (the feeder: no byte budget). */
    private void take(WorkerHandle worker, List<PoolTask<?>> batch) {
        take(worker, batch, Long.MAX_VALUE);
    }

    /**
     * Guarded by lock, and by {@code worker.sendLock}. Moves up to a fair share of the queue to
     * {@code worker}, at most {@code byteBudget} bytes of tasks; with a budget (the reader), it stops at a
     * task whose definition the worker has not had yet (the feeder sends those).
     */
    private void take(WorkerHandle worker, List<PoolTask<?>> batch, long byteBudget) {
        int share = Math.max(1, queue.size() / Math.max(1, pool.supervisor.all().size()));
        int limit = Math.min(Math.min(room(worker) - worker.outstanding.size(), pool.supervisor.budget(worker)),
                Math.min(share, MAX_BATCH));
        long bytes = 0;
        while (batch.size() < limit && !queue.isEmpty()) {
            PoolTask<?> task = queue.peekFirst();
            if (task.isDone()) {
                queue.pollFirst();
                continue; // cancelled while queued
            }
            long size = wireBytes(task);
            if (byteBudget != Long.MAX_VALUE
                    && (bytes + size > byteBudget || task.fnId >= 0 && !worker.defined.contains(task.fnId))) {
                break;
            }
            queue.pollFirst();
            if (worker.outstanding.isEmpty()) {
                worker.headSince = System.nanoTime();
            }
            worker.outstanding.addLast(task);
            worker.unansweredBytes += size;
            bytes += size;
            batch.add(task);
        }
        pool.supervisor.sent(worker, batch.size());
        if (queue.isEmpty()) {
            pool.tryTerminate(); // the last queued tasks may have been cancelled ones
        }
    }

    /** What a task adds to a TASKS frame. */
    private static long wireBytes(PoolTask<?> task) {
        return 8 + 1 + 4 + 4 + (task.kind == Protocol.CALL && task.fnId >= 0 ? 0 : task.payload.length);
    }

    private void send(WorkerHandle worker, List<PoolTask<?>> batch) throws IOException {
        ByteWriter frame = worker.frame;
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

    // ---------------------------------------------------------------- reading

    private void read(WorkerHandle worker) {
        try {
            while (true) {
                byte[] frame = PlainFrames.read(worker.in, Protocol.MAX_FRAME);
                if (frame == null) {
                    break;
                }
                results(worker, new ByteReader(frame));
            }
        } catch (IOException e) {
            // the worker died, or sent something that is not ours: either way it is gone
        }
        pool.supervisor.ended(worker);
    }

    private void results(WorkerHandle worker, ByteReader message) throws IOException {
        if (message.readByte() != Protocol.RESULTS) {
            throw new IOException("unexpected message from " + worker);
        }
        long rss = message.readLong();
        int n = message.readCount(8 + 1 + 4);
        PoolTask<?>[] tasks = new PoolTask<?>[n];
        long[] ids = new long[n];
        byte[][] payloads = new byte[n][];
        boolean[] oks = new boolean[n];
        for (int i = 0; i < n; i++) {
            ids[i] = message.readLong();
            oks[i] = message.readByte() == Protocol.OK;
            payloads[i] = message.readBytes();
        }
        List<PoolTask<?>> next = new ArrayList<>();
        // Held from taking the worker's next tasks to sending them, so that tasks reach the worker in the
        // order they were added to its outstanding ones, whichever thread (this one or the feeder) sends.
        // Only tried: while the feeder holds it, it may be blocked writing a large frame, and this thread
        // must go on reading (the worker may be blocked writing a result until it does).
        boolean sending = worker.sendLock.tryLock();
        try {
            lock.lock();
            try {
                accountFor(worker, message, tasks, ids, rss);
                boolean mayTake = !worker.exitSent && !worker.gone && canTake(worker);
                if (sending && mayTake) {
                    take(worker, next, worker.readerSendBytes - worker.unansweredBytes);
                }
                // The feeder is needed only to send EXIT, tasks this thread left (too large, or a definition
                // the worker lacks, or the feeder was sending), or tasks another worker now has room for.
                if (worker.retiring && worker.outstanding.isEmpty() || mayTake && next.isEmpty()
                        || !queue.isEmpty() && someFeederCanTake()) {
                    changed.signalAll();
                }
            } finally {
                lock.unlock();
            }
            if (!next.isEmpty()) {
                try {
                    send(worker, next);
                } catch (IOException e) {
                    // the connection is broken: the next read ends the worker, which accounts for these tasks
                }
            }
        } finally {
            if (sending) {
                worker.sendLock.unlock();
            }
        }
        for (int i = 0; i < n; i++) {
            complete(tasks[i], oks[i], payloads[i]);
        }
    }

    /**
     * Guarded by lock. Takes the answered tasks off {@code worker}'s outstanding ones, after matching the
     * whole frame: a frame that is not what we sent (out of order, cut short) ends the worker with all its
     * tasks still outstanding, to be run again or failed as lost, rather than with one taken and never
     * completed (its caller would wait forever).
     */
    private void accountFor(WorkerHandle worker, ByteReader message, PoolTask<?>[] tasks, long[] ids, long rss)
            throws IOException {
        int n = tasks.length;
        long now = System.nanoTime();
        java.util.Iterator<PoolTask<?>> outstanding = worker.outstanding.iterator();
        for (int i = 0; i < n; i++) {
            PoolTask<?> task = outstanding.hasNext() ? outstanding.next() : null;
            if (task == null || task.id != ids[i]) {
                throw new IOException("result for task " + ids[i] + " out of order from " + worker);
            }
            tasks[i] = task;
        }
        if (config.insights()) {
            insights.read(worker, message);
        }
        for (int i = 0; i < n; i++) {
            worker.unansweredBytes -= wireBytes(worker.outstanding.pollFirst());
        }
        long perTask = (now - worker.headSince) / Math.max(1, n);
        worker.averageTaskNanos = worker.averageTaskNanos == 0 ? Math.max(1, perTask)
                : Math.max(1, (worker.averageTaskNanos * 3 + perTask) / 4);
        worker.headSince = now;
        pool.supervisor.answered(worker, rss);
        pool.tryTerminate();
    }

    @SuppressWarnings("unchecked")
    private static void complete(PoolTask<?> task, boolean ok, byte[] payload) {
        try {
            Object value = !ok ? Serializers.get().deserialize(payload)
                    : task.kind == Protocol.CHUNK ? ValueArrays.decode(payload) : ValueCodec.decode(payload);
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
}
