package org.multiprocessing4j.hazelcast;

import java.util.function.DoubleUnaryOperator;
import org.multiprocessing4j.SharedDoubleArray;

/** Elements stored as their raw bits; compare-and-set compares bits, as the local array does. */
final class ClusterDoubleArray extends ClusterArray implements SharedDoubleArray {
    private static final long serialVersionUID = 1L;

    ClusterDoubleArray(ClusterNode node, int length) {
        super(node, "doubleArray", length);
    }

    private static long bits(double d) {
        return Double.doubleToRawLongBits(d);
    }

    @Override public double get(int i) { return Double.longBitsToDouble(at(i)); }
    @Override public void set(int i, double v) { swap(i, bits(v)); }
    @Override public double getAndSet(int i, double v) { return Double.longBitsToDouble(swap(i, bits(v))); }
    @Override public boolean compareAndSet(int i, double expected, double v) { return cas(i, bits(expected), bits(v)); }
    @Override public double getAndAdd(int i, double delta) { return getAndUpdate(i, v -> v + delta); }
    @Override public double addAndGet(int i, double delta) { return updateAndGet(i, v -> v + delta); }

    @Override
    public double[] toArray() {
        long[] all = all();
        double[] out = new double[all.length];
        for (int i = 0; i < all.length; i++) {
            out[i] = Double.longBitsToDouble(all[i]);
        }
        return out;
    }

    @Override
    public double getAndUpdate(int i, DoubleUnaryOperator update) {
        while (true) {
            double v = get(i);
            if (compareAndSet(i, v, update.applyAsDouble(v))) {
                return v;
            }
        }
    }

    @Override
    public double updateAndGet(int i, DoubleUnaryOperator update) {
        while (true) {
            double v = get(i);
            double next = update.applyAsDouble(v);
            if (compareAndSet(i, v, next)) {
                return next;
            }
        }
    }
}
