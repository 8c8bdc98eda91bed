package org.multiprocessing4j;

import java.util.Objects;
import org.multiprocessing4j.internal.launch.Launcher;
import org.multiprocessing4j.internal.pool.PoolBuilder;
import org.multiprocessing4j.internal.queue.SharedQueue;

/** The local backend: child JVMs on this machine. */
final class LocalContext implements Context {
    private final Launcher launcher;

    LocalContext(StartMethod method) {
        this.launcher = new Launcher(method, ChildProcess::warmUpRequest);
    }

    @Override
    public ChildProcess process(SerializableRunnable target) {
        Objects.requireNonNull(target, "target");
        return new ChildProcess(target, launcher);
    }

    @Override
    public ProcessPool pool(int processes) {
        return poolBuilder().processes(processes).build();
    }

    @Override
    public ProcessPool.Builder poolBuilder() {
        return new PoolBuilder(this);
    }

    @Override
    public SharedMemory sharedMemory(String name, long size) {
        return SharedMemory.create(name, size);
    }

    @Override
    public Pipe pipe(boolean duplex) {
        org.multiprocessing4j.internal.conn.PipeEnd[] ends = org.multiprocessing4j.internal.conn.PipeEnd.pipe(duplex);
        return new Pipe(ends[0], ends[1]);
    }

    @Override
    public <E> ProcessQueue<E> queue() {
        return SharedQueue.create(false, Integer.MAX_VALUE);
    }

    @Override
    public <E> ProcessQueue<E> queue(int maxsize) {
        return SharedQueue.create(false, maxsize);
    }

    @Override
    public <E> JoinableQueue<E> joinableQueue() {
        return joinableQueue(Integer.MAX_VALUE);
    }

    @Override
    public <E> JoinableQueue<E> joinableQueue(int maxsize) {
        return (JoinableQueue<E>) SharedQueue.<E>create(true, maxsize);
    }

    @Override
    public <E> ProcessQueue<E> simpleQueue() {
        return queue();
    }

    @Override
    public StartMethod startMethod() {
        return launcher.method();
    }

    Launcher launcher() {
        return launcher;
    }

    @Override
    public String toString() {
        return "LocalContext[" + launcher.method() + "]";
    }
}
