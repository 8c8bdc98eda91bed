package org.multiprocessing4j.hazelcast;

import java.util.function.DoubleUnaryOperator;
import org.multiprocessing4j.ProcessLock;
import org.multiprocessing4j.SharedDouble;

/** A {@code double} on the cluster: its raw bits in one state entry; additions are compare-and-set loops. */
final class ClusterDouble extends StateObject implements SharedDouble {
    private static final long serialVersionUID = 1L;

    ClusterDouble(ClusterNode node, double initial) {
        super(node, "double", new long[] {Double.doubleToRawLongBits(initial)});
    }

    private static long bits(double d) {
        return Double.doubleToRawLongBits(d);
    }

    @Override public double get() { return Double.longBitsToDouble(read(0)); }
    @Override public void set(double v) { op(StateOp.SET, 0, bits(v), 0); }
    @Override public double getAndSet(double v) { return Double.longBitsToDouble(op(StateOp.SET, 0, bits(v), 0)[0]); }
    @Override public boolean compareAndSet(double expected, double v) { return op(StateOp.CAS, 0, bits(expected), bits(v))[0] == 1; }
    @Override public double getAndAdd(double delta) { return getAndUpdate(v -> v + delta); }
    @Override public double addAndGet(double delta) { return updateAndGet(v -> v + delta); }

    @Override
    public double getAndUpdate(DoubleUnaryOperator update) {
        while (true) {
            double v = get();
            if (compareAndSet(v, update.applyAsDouble(v))) {
                return v;
            }
        }
    }

    @Override
    public double updateAndGet(DoubleUnaryOperator update) {
        while (true) {
            double v = get();
            double next = update.applyAsDouble(v);
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
