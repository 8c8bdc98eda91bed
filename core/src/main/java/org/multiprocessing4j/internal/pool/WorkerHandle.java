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

    final int id;
    final ChildProcess process;
    final ArrayDeque<PoolTask<?>> outstanding = new ArrayDeque<>();
    final Set<Integer> defined = new HashSet<>();
    SocketChannel channel;
    DataInputStream in;
    DataOutputStream out;
    /** The frame being built: used by this worker's feeder thread only. */
    final Protocol.Writer frame = new Protocol.Writer(1 << 12);
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

    WorkerHandle(int id, ChildProcess process) {
        this.id = id;
        this.process = process;
    }

    @Override
    public String toString() {
        return process.name() + (connected ? " pid " + process.pid() : " (starting)");
    }
}
