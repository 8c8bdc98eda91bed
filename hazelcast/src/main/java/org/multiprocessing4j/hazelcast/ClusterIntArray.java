package org.multiprocessing4j.hazelcast;

import java.util.function.IntUnaryOperator;
import org.multiprocessing4j.SharedIntArray;

final class ClusterIntArray extends ClusterArray implements SharedIntArray {
    private static final long serialVersionUID = 1L;

    ClusterIntArray(ClusterNode node, int length) {
        super(node, "intArray", length);
    }

    @Override public int get(int i) { return (int) at(i); }
    @Override public void set(int i, int v) { swap(i, v); }
    @Override public int getAndSet(int i, int v) { return (int) swap(i, v); }
    @Override public boolean compareAndSet(int i, int expected, int v) { return cas(i, expected, v); }
    @Override public int getAndIncrement(int i) { return getAndAdd(i, 1); }
    @Override public int getAndDecrement(int i) { return getAndAdd(i, -1); }
    @Override public int incrementAndGet(int i) { return addAndGet(i, 1); }
    @Override public int decrementAndGet(int i) { return addAndGet(i, -1); }
    @Override public int getAndAdd(int i, int delta) { return (int) op(StateOp.ADD_INT, index(i), delta, 0)[0]; }
    @Override public int addAndGet(int i, int delta) { return getAndAdd(i, delta) + delta; }

    @Override
    public int[] toArray() {
        long[] all = all();
        int[] out = new int[all.length];
        for (int i = 0; i < all.length; i++) {
            out[i] = (int) all[i];
        }
        return out;
    }

    @Override
    public int getAndUpdate(int i, IntUnaryOperator update) {
        while (true) {
            int v = get(i);
            if (cas(i, v, update.applyAsInt(v))) {
                return v;
            }
        }
    }

    @Override
    public int updateAndGet(int i, IntUnaryOperator update) {
        while (true) {
            int v = get(i);
            int next = update.applyAsInt(v);
            if (cas(i, v, next)) {
                return next;
            }
        }
    }
}
