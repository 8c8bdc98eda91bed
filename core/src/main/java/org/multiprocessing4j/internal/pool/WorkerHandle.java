package org.multiprocessing4j.internal.pool;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import org.multiprocessing4j.ChildProcess;

/**
 * The pool's view of one worker process: its connection, the tasks sent to it and not yet answered
 * (the first of which it is running), and why it is going away, if it is.
 *
 * <p><b>Concurrency.</b> Fields are guarded by the pool's lock, except {@code out} and {@code defined},
 * which only the worker's feeder thread touches, and {@code in}, only its reader thread.
 */
final class WorkerHandle {
    /** Why the pool killed a worker: what its running task fails with. */
    enum Kill { NONE, TIMEOUT, CANCEL, SHUTDOWN }

    /** {@link #stoppedAt} before the pool stopped the worker. */
    static final long NOT_STOPPED = Long.MIN_VALUE;

    final int id;
    final ChildProcess process;
    /** Which task the worker is running; closed (under the pool's lock) once the worker is gone. */
    final TaskMarks marks;
    final java.nio.file.Path marksFile;
    /** The last task the worker started before the pool stopped it ({@code shutdownNow}), or NOT_STOPPED. */
    long stoppedAt = NOT_STOPPED;
    /** Whether {@link #marks} are unmapped (the worker is gone). */
    boolean released;
    /** The running task the timeout watchdog last saw, and since when (its clock). */
    long watchedId;
    long watchedSince;
    final ArrayDeque<PoolTask<?>> outstanding = new ArrayDeque<>();
    final Set<Integer> defined = new HashSet<>();
    SocketChannel channel;
    DataInputStream in;
    DataOutputStream out;
    /**
     * Held while tasks are taken for this worker and sent (by its feeder or its reader), so that they
     * arrive in the order of {@link #outstanding}. Never waited for while the pool's lock is held (the
     * feeder tries it under the pool's lock, and waits for it only after letting that go); the reader
     * only tries it (it must never wait behind a long write).
     */
    final java.util.concurrent.locks.ReentrantLock sendLock = new java.util.concurrent.locks.ReentrantLock();
    /**
     * Bytes of tasks sent and not yet answered: an upper bound on what the worker has still to read.
     * Guarded by the pool's lock.
     */
    long unansweredBytes;
    /**
     * The most the reader may have unanswered when it sends tasks itself: a small part of the socket's
     * send buffer, so that its write never waits for the worker to read (the worker may be waiting, in
     * its own write, for the reader to read). Set when the worker connects.
     */
    int readerSendBytes;
    /** The frame being built: used under {@link #sendLock} only. */
    final org.multiprocessing4j.internal.wire.ByteWriter frame =
            org.multiprocessing4j.internal.wire.ByteWriter.framed(1 << 12);
    boolean connected;
    boolean retiring;
    boolean exitSent;
    boolean gone;
    Kill kill = Kill.NONE;
    /** The task the pool killed this worker for (timeout, cancel); another head is innocent. */
    PoolTask<?> killedFor;
    int sent;
    /** When the task at the head of {@code outstanding} started, as far as the pool can tell. */
    long headSince;
    /** A moving average of how long a task takes here; 0 until the first result. */
    long averageTaskNanos;
    /** For insights: when it was launched, connected and gone (0: not yet), the pool's clock. */
    final long launchedAt = System.nanoTime();
    long connectedAt;
    long goneAt;
    /** For insights: the worker's own counts ({@code WorkerClock}) as of its last results. */
    long tasks;
    long waiting;
    long deserializing;
    long working;
    long serializing;
    long sending;

    WorkerHandle(int id, ChildProcess process, TaskMarks marks, java.nio.file.Path marksFile) {
        this.id = id;
        this.process = process;
        this.marks = marks;
        this.marksFile = marksFile;
    }

    /** Guarded by the pool's lock: the id of the last task this worker started (0: none). */
    long started() {
        return stoppedAt != NOT_STOPPED ? stoppedAt : marks.lvStarted();
    }

    /**
     * Guarded by the pool's lock: the outstanding task the worker is running now (started, not
     * finished), or null.
     */
    PoolTask<?> running() {
        long started = started();
        if (started <= 0 || marks.lvFinished() == started) {
            return null;
        }
        for (PoolTask<?> task : outstanding) {
            if (task.id == started) {
                return task;
            }
        }
        return null;
    }

    /** Guarded by the pool's lock: whether {@code task} (outstanding here) has begun its run. */
    boolean hasStarted(PoolTask<?> task) {
        long started = started();
        boolean seen = false;
        for (PoolTask<?> t : outstanding) {
            seen |= t == task;
            if (t.id == started) {
                return seen; // tasks sent up to the started one have begun; those after it have not
            }
        }
        return false;
    }

    /** Guarded by the pool's lock: this worker's part of the pool's insights, as of {@code now}. */
    org.multiprocessing4j.PoolInsights.Worker insights(long now) {
        long end = goneAt != 0 ? goneAt : now;
        long startup = (connectedAt != 0 ? connectedAt : end) - launchedAt;
        return new org.multiprocessing4j.PoolInsights.Worker(connectedAt != 0 ? process.pid() : -1, process.name(),
                goneAt == 0, tasks, nanos(end - launchedAt), nanos(startup), nanos(working), nanos(waiting),
                nanos(deserializing), nanos(serializing), nanos(sending));
    }

    private static java.time.Duration nanos(long n) {
        return java.time.Duration.ofNanos(Math.max(0, n));
    }

    @Override
    public String toString() {
        return process.name() + (connected ? " pid " + process.pid() : " (starting)");
    }

    /**
     * {@link #readerSendBytes} for a connection: 16 KB, or an eighth of the socket's send buffer if that
     * is smaller (the kernel counts each write's overhead against it too); 0 (the feeder sends every
     * task) if the buffer's size cannot be read.
     */
    static int readerSendBytes(SocketChannel channel) {
        try {
            return Math.min(16 * 1024, channel.getOption(java.net.StandardSocketOptions.SO_SNDBUF) / 8);
        } catch (java.io.IOException | UnsupportedOperationException e) {
            return 0;
        }
    }
}
