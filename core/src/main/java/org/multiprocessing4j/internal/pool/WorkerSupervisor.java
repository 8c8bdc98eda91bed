package org.multiprocessing4j.internal.pool;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.ChildStartException;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.TaskTimeoutException;
import org.multiprocessing4j.WorkerLostException;
import org.multiprocessing4j.internal.events.Events;
import org.multiprocessing4j.internal.events.WorkerLostEvent;
import org.multiprocessing4j.internal.launch.ExitCodes;
import org.multiprocessing4j.internal.wire.ByteReader;
import org.multiprocessing4j.internal.wire.PlainFrames;
import org.multiprocessing4j.internal.wire.Serializers;
import org.multiprocessing4j.spi.PoolConfig;

/**
 * A {@link LocalPool}'s worker supervision: starting workers (through the context's launcher, so the
 * AOT cache and the warm spares apply), accepting their connections, retiring them
 * ({@code maxTasksPerChild}, {@code maxMemoryPerChild}), and seeing them go: an expected exit, or a
 * loss whose tasks fail or run again, and a replacement.
 *
 * <p><b>Implementation notes.</b>
 * <ul>
 *   <li><i>Failure.</i> A worker whose connection ends without being told to exit has died. Its
 *       {@link TaskMarks} say which task it was running: that one fails with
 *       {@link WorkerLostException}, or {@link TaskTimeoutException} if the pool killed it for
 *       overrunning; the others it held (finished but unanswered, or never started) go back to the
 *       front of the queue, and a replacement starts. {@code shutdownNow} first stops every worker
 *       through its marks (no task may start after), so the tasks it returns never started. A worker
 *       whose JVM ends before it connects is a start-up failure: after 3 per process in a row, or a
 *       {@link ChildStartException}, the pool is broken.</li>
 *   <li><i>Concurrency.</i> The list of workers and their state are guarded by the pool's lock.
 *       Connections are accepted on the server's thread, losses are seen on each worker's reader
 *       thread (from {@link Dispatcher}), and a lost worker's futures are completed outside the lock;
 *       the pool does not terminate before they are ({@code completing}).</li>
 * </ul>
 */
final class WorkerSupervisor {
    private static final Duration EXIT_CODE_WAIT = Duration.ofSeconds(2);
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final LocalPool pool;
    private final Context context;
    private final PoolConfig config;
    private final ReentrantLock lock;
    private final Condition changed;
    private final InsightsBook insights;                          // guarded by lock
    private final PoolServer server;
    private final List<WorkerHandle> workers = new ArrayList<>(); // guarded by lock
    private final AtomicInteger workerIds = new AtomicInteger();
    private int failedStarts;                                      // guarded by lock
    /** Workers gone whose tasks' futures are still being completed (outside the lock). Guarded by lock. */
    private int completing;

    WorkerSupervisor(LocalPool pool, Context context, PoolConfig config, ReentrantLock lock, Condition changed,
            InsightsBook insights) {
        this.pool = pool;
        this.context = context;
        this.config = config;
        this.lock = lock;
        this.changed = changed;
        this.insights = insights;
        try {
            this.server = new PoolServer("pool-" + POOLS.incrementAndGet(), this::accepted);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the pool's socket: " + e, e);
        }
    }

    /** Guarded by lock: the workers starting, connected or going, in the order they were started. */
    List<WorkerHandle> all() {
        return workers;
    }

    // ---------------------------------------------------------------- starting

    /** Guarded by lock. */
    void start() {
        int id = workerIds.incrementAndGet();
        Path marksFile = server.file("worker-" + id + ".marks");
        TaskMarks marks;
        try {
            marks = TaskMarks.create(marksFile);
        } catch (IOException | RuntimeException e) {
            pool.breakPool(new IllegalStateException("cannot create a pool worker's task marks " + marksFile + ": " + e, e));
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
                    pool.breakPool(e);
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
            ByteReader message = new ByteReader(hello);
            byte type = message.readByte();
            int id = message.readInt();
            WorkerHandle worker = find(id);
            if (worker == null) {
                channel.close();
                return;
            }
            if (type == Protocol.INIT_FAILED) {
                Throwable cause = decodeThrowable(message.readBytes());
                lock.lock();
                try {
                    pool.breakPool(new IllegalStateException("the pool's initializer failed in " + worker.process.name(), cause));
                } finally {
                    lock.unlock();
                }
                channel.close();
                return;
            }
            int readerSendBytes = WorkerHandle.readerSendBytes(channel);
            lock.lock();
            try {
                worker.readerSendBytes = readerSendBytes;
                worker.channel = channel;
                worker.in = in;
                worker.out = out;
                worker.connected = true;
                worker.connectedAt = System.nanoTime();
                failedStarts = 0;
                if (pool.stopping()) {
                    worker.retiring = true;
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            pool.dispatcher.serve(worker);
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

    private static Throwable decodeThrowable(byte[] bytes) {
        try {
            return (Throwable) Serializers.get().deserialize(bytes);
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            return e;
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
                pool.breakPool(failure);
            } else if (!worker.retiring && !pool.stopping()) {
                if (++failedStarts > 3 * config.processes()) {
                    pool.breakPool(new IllegalStateException(failedStarts + " workers in a row died before they connected; last: "
                            + worker.process + "\n" + worker.process.stderrTail()));
                } else {
                    start();
                }
            }
            pool.tryTerminate();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- retiring

    /** Guarded by lock. How many more tasks {@code worker} may be sent ({@code maxTasksPerChild}). */
    int budget(WorkerHandle worker) {
        return config.maxTasksPerChild() > 0 ? config.maxTasksPerChild() - worker.sent : Integer.MAX_VALUE;
    }

    /** Guarded by lock. Counts tasks sent to {@code worker}; at {@code maxTasksPerChild}, it retires. */
    void sent(WorkerHandle worker, int tasks) {
        worker.sent += tasks;
        if (config.maxTasksPerChild() > 0 && worker.sent >= config.maxTasksPerChild()) {
            retire(worker);
        }
    }

    /** Guarded by lock. {@code worker} answered, its resident memory now {@code rss}: over {@code maxMemoryPerChild}, it retires. */
    void answered(WorkerHandle worker, long rss) {
        if (config.maxMemoryPerChild() > 0 && rss > config.maxMemoryPerChild()) {
            retire(worker);
        }
    }

    /** Guarded by lock. The worker gets no more tasks, exits once it has answered, and is replaced. */
    private void retire(WorkerHandle worker) {
        if (worker.retiring) {
            return;
        }
        worker.retiring = true;
        if (pool.running() || (pool.shuttingDown() && !pool.dispatcher.queueEmpty())) {
            start();
        }
        changed.signalAll();
    }

    // ---------------------------------------------------------------- ending

    /** The worker's connection ended: it exited as told, or it died. Called by its reader thread. */
    void ended(WorkerHandle worker) {
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
                } else if (pool.stopping()) {
                    cancelledByStop.add(task);
                } else {
                    // computed but unanswered (its result died with the worker), never started, or
                    // running when we killed the worker for another task: run it again
                    again.add(task);
                }
            }
            worker.outstanding.clear();
            pool.dispatcher.requeueFirst(again);
            release(worker);
            boolean workLeft = !pool.dispatcher.queueEmpty();
            if (pool.running() && !worker.retiring || (!pool.stopping() && workLeft && !hasWorkersFor())) {
                start();
            }
            pool.tryTerminate();
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
            pool.tryTerminate();
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

    private static void killQuietly(WorkerHandle w) {
        try {
            w.process.kill();
        } catch (IllegalStateException e) {
            // not started yet: its start will see the pool stopped
        }
    }

    // ---------------------------------------------------------------- for cancellation and the lifecycle

    /** Guarded by lock. Kills the worker running {@code task}, or about to start it (a cancel that may interrupt). */
    void killRunning(PoolTask<?> task) {
        for (WorkerHandle w : workers) {
            // the task it runs, or the next it will start (nothing before it is left to run)
            boolean running = w.running() == task || (w.outstanding.peekFirst() == task && !w.hasStarted(task));
            if (running && w.kill == WorkerHandle.Kill.NONE) {
                w.kill = WorkerHandle.Kill.CANCEL;
                w.killedFor = task;
                w.process.kill();
            }
        }
    }

    /** Guarded by lock. The pids of the connected workers. */
    List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        for (WorkerHandle w : workers) {
            if (w.connected && !w.gone) {
                pids.add(w.process.pid());
            }
        }
        return pids;
    }

    /**
     * Guarded by lock ({@code shutdownNow}). Stops every worker: from here no task starts in it; the
     * tasks it has not started go to {@code neverStarted}, the running ones to {@code running} (to be
     * cancelled); computed ones are delivered if their results are already on their way, else
     * cancelled when the worker ends.
     */
    void stopAll(List<Runnable> neverStarted, List<PoolTask<?>> running) {
        for (WorkerHandle w : workers) {
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
    }

    /** Guarded by lock: whether some worker holds a task not yet done (a cancelled one still running is waited for). */
    boolean busy() {
        for (WorkerHandle w : workers) {
            for (PoolTask<?> task : w.outstanding) {
                if (!task.isDone()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Guarded by lock. No work is left: every worker exits once it has answered; one still starting is killed. */
    void retireAll() {
        for (WorkerHandle w : workers) {
            w.retiring = true;
            if (!w.connected) {
                killQuietly(w);
            }
        }
    }

    /** Guarded by lock: whether every worker is gone and its tasks completed. */
    boolean allGone() {
        return workers.isEmpty() && completing == 0;
    }

    /** Closes the socket and removes the pool's directory (the pool has terminated). */
    void closeServer() {
        server.close();
    }
}
