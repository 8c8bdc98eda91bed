package org.multiprocessing4j.hazelcast;

import java.util.function.LongUnaryOperator;
import org.multiprocessing4j.ProcessLock;
import org.multiprocessing4j.SharedLong;

/** A {@code long} on the cluster: one state entry, every update an entry processor (atomic, backed up). */
final class ClusterLong extends StateObject implements SharedLong {
    private static final long serialVersionUID = 1L;

    ClusterLong(ClusterNode node, long initial) {
        super(node, "long", new long[] {initial});
    }

    @Override public long get() { return read(0); }
    @Override public void set(long v) { op(StateOp.SET, 0, v, 0); }
    @Override public long getAndSet(long v) { return op(StateOp.SET, 0, v, 0)[0]; }
    @Override public boolean compareAndSet(long expected, long v) { return op(StateOp.CAS, 0, expected, v)[0] == 1; }
    @Override public long getAndIncrement() { return getAndAdd(1); }
    @Override public long getAndDecrement() { return getAndAdd(-1); }
    @Override public long incrementAndGet() { return addAndGet(1); }
    @Override public long decrementAndGet() { return addAndGet(-1); }
    @Override public long getAndAdd(long delta) { return op(StateOp.ADD, 0, delta, 0)[0]; }
    @Override public long addAndGet(long delta) { return getAndAdd(delta) + delta; }

    @Override
    public long getAndUpdate(LongUnaryOperator update) {
        while (true) {
            long v = get();
            if (compareAndSet(v, update.applyAsLong(v))) {
                return v;
            }
        }
    }

    @Override
    public long updateAndGet(LongUnaryOperator update) {
        while (true) {
            long v = get();
            long next = update.applyAsLong(v);
            if (compareAndSet(v, next)) {
                return next;
            }
        }
    }

    @Override
    public ProcessLock lock() {
        return new ClusterLock(node(), name + ".lock", true);
    }
}
