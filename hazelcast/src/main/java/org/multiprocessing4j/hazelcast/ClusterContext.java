package org.multiprocessing4j.hazelcast;

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
import org.multiprocessing4j.hazelcast.Commands.PoolSpec;
import org.multiprocessing4j.spi.AbstractPoolBuilder;
import org.multiprocessing4j.spi.PoolConfig;

/**
 * The cluster backend's {@link Context}: processes and pool workers run in child JVMs of the members;
 * queues, locks and shared values live in the cluster's maps and queues (see {@code docs/cluster.md}
 * for the consistency each gives). {@link #close()} leaves the cluster (a context that wraps a
 * Hazelcast instance it did not make leaves it running).
 */
public final class ClusterContext implements Context, AutoCloseable {
    private final ClusterNode node;
    private final boolean ownsInstance;
    private final Remote remote;
    private final ClusterProcessStarter starter;

    ClusterContext(ClusterNode node, boolean ownsInstance) {
        this.node = node;
        this.ownsInstance = ownsInstance;
        this.remote = new Remote(node);
        this.starter = new ClusterProcessStarter(this);
        ClusterNode.register(node);
        // The output of this driver's processes, streamed by their members (OutputRouter), line by line.
        node.hz.<String>getTopic(OutputRouter.TOPIC_PREFIX + owner()).addMessageListener(message -> {
            String line = message.getMessageObject();
            if (line.startsWith("E")) {
                System.err.println(line.substring(1));
            } else {
                System.out.println(line.substring(1));
            }
        });
    }

    ClusterNode node() {
        return node;
    }

    Remote remote() {
        return remote;
    }

    /** This driver's identity in the cluster: what members free when it leaves. */
    String owner() {
        return node.localUuid().toString();
    }

    @Override
    public ChildProcess process(SerializableRunnable target) {
        Objects.requireNonNull(target, "target");
        return new ClusterProcessStarter.ClusterProcess(target, starter);
    }

    @Override
    public ProcessPool pool(int processes) {
        return poolBuilder().processes(processes).build();
    }

    @Override
    public ProcessPool.Builder poolBuilder() {
        return new Builder();
    }

    /** The checks are core's ({@link AbstractPoolBuilder}); progress is not reported on a cluster. */
    private final class Builder extends AbstractPoolBuilder {
        Builder() {
            super(Math.max(1, node.hz.getCluster().getMembers().size()));
        }

        @Override
        public ProcessPool build() {
            PoolConfig c = config();
            return new ClusterPool(ClusterContext.this, c.processes(), new PoolSpec(c.initializer(),
                    c.maxTasksPerChild(), c.taskTimeout(), c.maxMemoryPerChild(), c.jvmOptions()));
        }
    }

    /** No cluster meaning: a segment is memory of one machine. */
    @Override
    public SharedMemory sharedMemory(String name, long size) {
        throw new UnsupportedOperationException("shared memory is memory of one machine and has no meaning on a "
                + "cluster: use sharedLongArray/sharedDoubleArray/sharedIntArray, a queue or manager().dict() instead");
    }

    @Override
    public Pipe pipe(boolean duplex) {
        ClusterConnection[] ends = ClusterConnection.pipe(node, duplex);
        return new Pipe(ends[0], ends[1]);
    }

    @Override
    public Manager manager() {
        return new ClusterManager(this);
    }

    @Override
    public SharedLong sharedLong(long initial) {
        return new ClusterLong(node, initial);
    }

    @Override
    public SharedDouble sharedDouble(double initial) {
        return new ClusterDouble(node, initial);
    }

    @Override
    public SharedIntArray sharedIntArray(int length) {
        return new ClusterIntArray(node, length);
    }

    @Override
    public SharedLongArray sharedLongArray(int length) {
        return new ClusterLongArray(node, length);
    }

    @Override
    public SharedDoubleArray sharedDoubleArray(int length) {
        return new ClusterDoubleArray(node, length);
    }

    @Override
    public ProcessLock lock() {
        return new ClusterLock(node, ClusterNode.newName("lock"), false);
    }

    @Override
    public ProcessLock rlock() {
        return new ClusterLock(node, ClusterNode.newName("rlock"), true);
    }

    @Override
    public ProcessSemaphore semaphore(int permits) {
        return new ClusterSemaphore(node, permits, false);
    }

    @Override
    public ProcessSemaphore boundedSemaphore(int permits) {
        return new ClusterSemaphore(node, permits, true);
    }

    @Override
    public ProcessEvent event() {
        return new ClusterEvent(node);
    }

    @Override
    public ProcessBarrier barrier(int parties) {
        return new ClusterBarrier(node, parties, null);
    }

    /** A barrier whose last arrival runs {@code action} before the others are released. */
    public ProcessBarrier barrier(int parties, SerializableRunnable action) {
        return new ClusterBarrier(node, parties, Objects.requireNonNull(action, "action"));
    }

    @Override
    public <E> ProcessQueue<E> queue() {
        return new ClusterQueue<>(node, Integer.MAX_VALUE, false);
    }

    @Override
    public <E> ProcessQueue<E> queue(int maxsize) {
        return new ClusterQueue<>(node, maxsize, false);
    }

    @Override
    public <E> JoinableQueue<E> joinableQueue() {
        return new ClusterQueue<>(node, Integer.MAX_VALUE, true);
    }

    @Override
    public <E> JoinableQueue<E> joinableQueue(int maxsize) {
        return new ClusterQueue<>(node, maxsize, true);
    }

    @Override
    public <E> ProcessQueue<E> simpleQueue() {
        return queue();
    }

    /** Child JVMs on the members start fresh. */
    @Override
    public StartMethod startMethod() {
        return StartMethod.SPAWN;
    }

    /** The members this driver sees now ({@code HOST:PORT}), as Hazelcast's membership has them. */
    public java.util.List<String> members() {
        return ClusterMember.addresses(node.hz.getCluster().getMembers());
    }

    /** Leaves the cluster; members stop this driver's pools and processes. */
    @Override
    public void close() {
        ClusterNode.unregister(node);
        if (ownsInstance) {
            node.hz.shutdown();
        }
    }

    @Override
    public String toString() {
        return "ClusterContext[" + node.ref.clusterName() + ", " + node.hz.getCluster().getMembers().size() + " members]";
    }
}
