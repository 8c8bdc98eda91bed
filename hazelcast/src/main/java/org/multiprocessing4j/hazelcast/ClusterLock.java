package org.multiprocessing4j.hazelcast;

import com.hazelcast.aggregation.Aggregators;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import com.hazelcast.query.QueryConstants;
import java.io.Serializable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import org.multiprocessing4j.ProcessLock;

/**
 * A lock on the cluster: {@code IMap.lock} on one key of the lock map (owned by a thread of a client or
 * member; Hazelcast releases it when its owner leaves the cluster). A second map records the owner, so
 * that the next acquirer learns that the previous one died holding it ({@link #isRecovered()}). A
 * non-reentrant lock refuses a second acquisition by its owner thread as a local lock does (a
 * {@code tryLock} fails; a {@code lock} waits, as Python's {@code Lock} deadlocks).
 * {@code newCondition()} is not supported on the cluster.
 */
final class ClusterLock implements ProcessLock, Serializable {
    private static final long serialVersionUID = 1L;

    private final NodeRef nodeRef;
    private final String name;
    private final boolean reentrant;
    private transient ThreadLocal<int[]> holds;   // [hold count, recovered]

    ClusterLock(ClusterNode node, String name, boolean reentrant) {
        this.nodeRef = new NodeRef(node);
        this.name = name;
        this.reentrant = reentrant;
    }

    private ClusterNode node() {
        return nodeRef.get();
    }

    private synchronized int[] hold() {
        if (holds == null) {
            holds = ThreadLocal.withInitial(() -> new int[2]);
        }
        return holds.get();
    }

    private IMap<String, String> locks() {
        return node().hz.getMap(HazelcastConfigs.LOCK_MAP);
    }

    private IMap<String, String> owners() {
        return node().hz.getMap(HazelcastConfigs.LOCK_OWNERS);
    }

    /** The owner record: client, thread and pid ({@link #toString} shows the last two). */
    private String me() {
        return node().localUuid() + "/" + Thread.currentThread().threadId() + "/" + ProcessHandle.current().pid();
    }

    /** Just acquired at the map: records the owner, learns whether the last one died holding it. */
    private void acquired(int[] h) {
        if (h[0] == 0) {
            String previous = ClusterNode.quietly(() -> owners().put(name, me()));
            h[1] = previous != null ? 1 : 0;
            if (previous != null) {
                System.err.println("mp4j: lock " + name + " recovered from " + previous + ", which left holding it");
            }
        }
        h[0]++;
    }

    @Override
    public void lock() {
        int[] h = hold();
        if (h[0] > 0 && !reentrant) {
            throw new IllegalStateException("this thread already holds the non-reentrant lock " + name
                    + " (a local Lock would deadlock here)");
        }
        if (!ClusterNode.quietly(() -> locks().tryLock(name))) {
            queued(1);
            try {
                ClusterNode.quietly(() -> locks().lock(name));
            } finally {
                queued(-1);
            }
        }
        acquired(h);
    }

    private IMap<String, Long> waiting() {
        return node().hz.getMap(HazelcastConfigs.LOCK_WAITING);
    }

    /**
     * Counts a thread that waits for the map lock (in or out): what getQueueLength reports. Each client
     * (process) has its own count, under {@code name|client}, so that the count of a client that dies
     * can be taken off ({@link #forgetWaiter}).
     */
    private void queued(long delta) {
        String key = name + "|" + node().localUuid();
        IMap<String, Long> waiting = waiting();
        ClusterNode.quietly(() -> {
            while (true) {
                Long n = waiting.get(key);
                long next = (n == null ? 0 : n) + delta;
                boolean done;
                if (n == null) {
                    done = next <= 0 || waiting.putIfAbsent(key, next) == null;
                } else if (next <= 0) {
                    done = waiting.remove(key, n);
                } else {
                    done = waiting.replace(key, n, next);
                }
                if (done) {
                    return null;
                }
            }
        });
    }

    /** Takes the waiting threads of {@code client}, which is gone, off every lock's queue count. */
    static void forgetWaiter(ClusterNode node, java.util.UUID client) {
        IMap<String, Long> waiting = node.hz.getMap(HazelcastConfigs.LOCK_WAITING);
        waiting.removeAll(Predicates.like(QueryConstants.KEY_ATTRIBUTE_NAME.value(), "%|" + client));
    }

    @Override
    public boolean isLocked() {
        return ClusterNode.quietly(() -> locks().isLocked(name));
    }

    @Override
    public boolean hasQueuedThreads() {
        return getQueueLength() > 0;
    }

    /**
     * The threads of every client waiting in {@link #lock()}, counted beside the lock per client; a
     * client that dies is taken off once the members judge it gone (see {@code MemberRuntime}).
     */
    @Override
    public int getQueueLength() {
        Long n = ClusterNode.quietly(() -> waiting().aggregate(Aggregators.longSum(),
                Predicates.like(QueryConstants.KEY_ATTRIBUTE_NAME.value(), name + "|%")));
        return n == null ? 0 : (int) Math.max(0, n);
    }

    /** One wait of at most {@code nanos} for the map lock; an interrupt during it is an {@link InterruptedException}. */
    private boolean tryLockFor(long nanos) throws InterruptedException {
        try {
            return locks().tryLock(name, nanos, TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            if (e.getCause() instanceof InterruptedException ie) {
                Thread.interrupted();
                throw ie;
            }
            throw e;
        }
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        int[] h = hold();
        if (h[0] > 0 && !reentrant) {
            throw new IllegalStateException("this thread already holds the non-reentrant lock " + name);
        }
        while (!tryLockFor(TimeUnit.MILLISECONDS.toNanos(200))) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        acquired(h);
    }

    @Override
    public boolean tryLock() {
        int[] h = hold();
        if (h[0] > 0 && !reentrant) {
            return false;
        }
        if (!ClusterNode.quietly(() -> locks().tryLock(name))) {
            return false;
        }
        acquired(h);
        return true;
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        int[] h = hold();
        if (h[0] > 0 && !reentrant) {
            return false;
        }
        long deadline = System.nanoTime() + unit.toNanos(time);
        while (true) {
            long left = deadline - System.nanoTime();
            if (tryLockFor(Math.max(0, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200))))) {
                acquired(h);
                return true;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (deadline - System.nanoTime() <= 0) {
                return false;
            }
        }
    }

    @Override
    public void unlock() {
        int[] h = hold();
        if (h[0] == 0) {
            throw new IllegalMonitorStateException("the current thread does not hold the lock " + name);
        }
        if (h[0] == 1) {
            ClusterNode.quietly(() -> owners().remove(name));
            h[1] = 0;
        }
        h[0]--;
        ClusterNode.quietly(() -> locks().unlock(name));
    }

    /**
     * A condition of this lock on the cluster: waiters take tickets in a state entry; {@code signal}
     * marks the oldest waiting ticket, {@code signalAll} every one; a waiter that times out or is
     * interrupted withdraws its ticket (and passes on a signal it got meanwhile).
     */
    @Override
    public Condition newCondition() {
        return new ClusterCondition(this, node(), ClusterNode.newName("condition"));
    }

    /** Releases every hold of the calling thread; returns how many there were. */
    int releaseAll() {
        int[] h = hold();
        if (h[0] == 0) {
            throw new IllegalMonitorStateException("the current thread does not hold the lock " + name);
        }
        int count = h[0];
        ClusterNode.quietly(() -> owners().remove(name));
        h[0] = 0;
        h[1] = 0;
        for (int i = 0; i < count; i++) {
            ClusterNode.quietly(() -> locks().unlock(name));
        }
        return count;
    }

    /** Takes the lock back {@code count} times (after a condition wait). */
    void reacquire(int count) {
        ClusterNode.quietly(() -> locks().lock(name));
        int[] h = hold();
        acquired(h);
        for (int i = 1; i < count; i++) {
            ClusterNode.quietly(() -> locks().lock(name));
            h[0]++;
        }
    }

    @Override
    public boolean isRecovered() {
        int[] h = hold();
        return h[0] > 0 && h[1] == 1;
    }

    @Override
    public boolean isHeldByCurrentThread() {
        return hold()[0] > 0;
    }

    @Override
    public int getHoldCount() {
        return hold()[0];
    }

    @Override
    public boolean isReentrant() {
        return reentrant;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void close() {}

    @Override
    public String toString() {
        String owner = isLocked() ? ClusterNode.quietly(() -> owners().get(name)) : null;
        String[] parts = owner == null ? new String[0] : owner.split("/");
        String state = parts.length == 3
                ? "[Locked by thread " + (Long.parseLong(parts[1]) & 0xffff_ffffL) + " of pid " + parts[2] + "]"
                : isLocked() ? "[Locked]" : "[Unlocked]";
        return "ClusterLock[" + name + (reentrant ? ", reentrant" : "") + "]" + state;
    }
}
