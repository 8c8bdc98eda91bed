package org.multiprocessing4j.hazelcast;

import java.util.function.LongUnaryOperator;
import org.multiprocessing4j.SharedLongArray;

final class ClusterLongArray extends ClusterArray implements SharedLongArray {
    private static final long serialVersionUID = 1L;

    ClusterLongArray(ClusterNode node, int length) {
        super(node, "longArray", length);
    }

    @Override public long get(int i) { return at(i); }
    @Override public void set(int i, long v) { swap(i, v); }
    @Override public long getAndSet(int i, long v) { return swap(i, v); }
    @Override public boolean compareAndSet(int i, long expected, long v) { return cas(i, expected, v); }
    @Override public long getAndIncrement(int i) { return getAndAdd(i, 1); }
    @Override public long getAndDecrement(int i) { return getAndAdd(i, -1); }
    @Override public long incrementAndGet(int i) { return addAndGet(i, 1); }
    @Override public long decrementAndGet(int i) { return addAndGet(i, -1); }
    @Override public long getAndAdd(int i, long delta) { return op(StateOp.ADD, index(i), delta, 0)[0]; }
    @Override public long addAndGet(int i, long delta) { return getAndAdd(i, delta) + delta; }
    @Override public long[] toArray() { return all(); }

    @Override
    public long getAndUpdate(int i, LongUnaryOperator update) {
        while (true) {
            long v = get(i);
            if (cas(i, v, update.applyAsLong(v))) {
                return v;
            }
        }
    }

    @Override
    public long updateAndGet(int i, LongUnaryOperator update) {
        while (true) {
            long v = get(i);
            long next = update.applyAsLong(v);
            if (cas(i, v, next)) {
                return next;
            }
        }
    }
}
