package org.multiprocessing4j.internal;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.JoinableQueue;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.Pipe;
import org.multiprocessing4j.ProcessBarrier;
import org.multiprocessing4j.ProcessEvent;
import org.multiprocessing4j.ProcessLock;
import org.multiprocessing4j.ProcessPool;
import org.multiprocessing4j.ProcessQueue;
import org.multiprocessing4j.ProcessSemaphore;
import org.multiprocessing4j.SerializableRunnable;
import org.multiprocessing4j.SharedDouble;
import org.multiprocessing4j.SharedDoubleArray;
import org.multiprocessing4j.SharedIntArray;
import org.multiprocessing4j.SharedLong;
import org.multiprocessing4j.SharedLongArray;
import org.multiprocessing4j.SharedMemory;
import org.multiprocessing4j.StartMethod;
import org.multiprocessing4j.internal.launch.CurrentProcess;
import org.multiprocessing4j.spi.LocalBackend;
import org.multiprocessing4j.spi.ProcessStarter;
import org.multiprocessing4j.spi.StartedProcess;
import org.multiprocessing4j.internal.launch.Launcher;
import org.multiprocessing4j.internal.launch.ProcessTable;
import org.multiprocessing4j.internal.pool.PoolBuilder;
import org.multiprocessing4j.internal.pool.WorkerMain;
import org.multiprocessing4j.internal.sync.ShmBarrier;
import org.multiprocessing4j.internal.sync.ShmEvent;
import org.multiprocessing4j.internal.shared.ShmDouble;
import org.multiprocessing4j.internal.shared.ShmDoubleArray;
import org.multiprocessing4j.internal.shared.ShmIntArray;
import org.multiprocessing4j.internal.shared.ShmLong;
import org.multiprocessing4j.internal.shared.ShmLongArray;
import org.multiprocessing4j.internal.sync.ShmLock;
import org.multiprocessing4j.internal.sync.ShmSemaphore;
import org.multiprocessing4j.internal.queue.SharedQueue;

/** The local backend: child JVMs on this machine. */
final class LocalContext implements Context, ProcessStarter {
    private final Launcher launcher;
    private final LocalBackend.Processes processes;

    LocalContext(StartMethod method, LocalBackend.Processes processes) {
        this.launcher = new Launcher(method, processes::warmUpRequest);
        this.processes = processes;
        ProcessTable.registerIfAbsent(ProcessTable.PROGRAM, CurrentProcess.info().name());
    }

    @Override
    public ChildProcess process(SerializableRunnable target) {
        Objects.requireNonNull(target, "target");
        return processes.create(target, this);
    }

    /** Launches {@code process} in a child JVM on this machine. */
    @Override
    public StartedProcess start(ChildProcess process, List<String> jvmOptions) throws IOException {
        return launcher.launch(jvmOptions, processes.launchMessage(process),
                WorkerMain.isWorkerTarget(processes.targetClass(process)));
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
    public Manager manager() {
        return org.multiprocessing4j.internal.manager.ManagerClient.start(this::process);
    }

    @Override
    public SharedLong sharedLong(long initial) {
        return ShmLong.create(initial);
    }

    @Override
    public SharedDouble sharedDouble(double initial) {
        return ShmDouble.create(initial);
    }

    @Override
    public SharedIntArray sharedIntArray(int length) {
        return ShmIntArray.create(length);
    }

    @Override
    public SharedLongArray sharedLongArray(int length) {
        return ShmLongArray.create(length);
    }

    @Override
    public SharedDoubleArray sharedDoubleArray(int length) {
        return ShmDoubleArray.create(length);
    }

    @Override
    public ProcessLock lock() {
        return ShmLock.create(false);
    }

    @Override
    public ProcessLock rlock() {
        return ShmLock.create(true);
    }

    @Override
    public ProcessSemaphore semaphore(int permits) {
        return ShmSemaphore.create(permits, false);
    }

    @Override
    public ProcessSemaphore boundedSemaphore(int permits) {
        return ShmSemaphore.create(permits, true);
    }

    @Override
    public ProcessEvent event() {
        return ShmEvent.create();
    }

    @Override
    public ProcessBarrier barrier(int parties) {
        return ShmBarrier.create(parties);
    }

    @Override
    public ProcessBarrier barrier(int parties, SerializableRunnable action) {
        return ShmBarrier.create(parties, Objects.requireNonNull(action, "action"));
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

    @Override
    public String toString() {
        return "LocalContext[" + launcher.method() + "]";
    }
}
