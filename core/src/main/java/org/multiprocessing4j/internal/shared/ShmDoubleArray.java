package org.multiprocessing4j.internal.shared;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.Serial;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.DoubleUnaryOperator;
import org.multiprocessing4j.SharedDoubleArray;
import org.multiprocessing4j.internal.shm.Kinds;
import org.multiprocessing4j.internal.shm.Segment;
import org.multiprocessing4j.internal.sync.ShmLock;

/**
 * {@link SharedDoubleArray} over a {@link SharedArrayLayout} segment: each element's raw IEEE-754
 * bits in an 8-byte word; arithmetic is a compare-and-set loop on the bits.
 */
public final class ShmDoubleArray extends ShmArray implements SharedDoubleArray {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final VarHandle BITS = JAVA_LONG.varHandle();
    private static final int BYTES = 8;
    private static final int SHIFT = 3;

    private ShmDoubleArray(Segment segment, ShmLock lock) {
        super(segment, lock, BYTES);
    }

    /** @throws IllegalArgumentException if {@code length} is negative */
    public static ShmDoubleArray create(int length) {
        requireLength(length);
        return Structures.create("double-array", Kinds.DOUBLE_ARRAY, SharedArrayLayout.size(length, BYTES),
                (payload, lockRef) -> {
                    SharedArrayLayout.initialize(payload, length, BYTES, lockRef);
                    return null;
                }, ShmDoubleArray::new);
    }

    static ShmDoubleArray open(String name) {
        return Structures.open(name, Kinds.DOUBLE_ARRAY, p -> SharedArrayLayout.check(p, name, BYTES),
                SharedArrayLayout::lockRef, ShmDoubleArray::new);
    }

    private long lvBits(long offset) {
        return (long) BITS.getVolatile(elements, offset);
    }

    private boolean casBits(long offset, long expected, long bits) {
        return BITS.compareAndSet(elements, offset, expected, bits);
    }

    private static double d(long bits) {
        return Double.longBitsToDouble(bits);
    }

    private static long bits(double d) {
        return Double.doubleToRawLongBits(d);
    }

    @Override
    public double get(int i) {
        return d(lvBits(offset(i, SHIFT)));
    }

    @Override
    public void set(int i, double newValue) {
        BITS.setVolatile(elements, offset(i, SHIFT), bits(newValue));
    }

    @Override
    public double getAndSet(int i, double newValue) {
        return d((long) BITS.getAndSet(elements, offset(i, SHIFT), bits(newValue)));
    }

    @Override
    public boolean compareAndSet(int i, double expected, double newValue) {
        return casBits(offset(i, SHIFT), bits(expected), bits(newValue));
    }

    @Override
    public double getAndAdd(int i, double delta) {
        long offset = offset(i, SHIFT);
        while (true) {
            long prev = lvBits(offset);
            if (casBits(offset, prev, bits(d(prev) + delta))) {
                return d(prev);
            }
        }
    }

    @Override
    public double addAndGet(int i, double delta) {
        return getAndAdd(i, delta) + delta;
    }

    @Override
    public double getAndUpdate(int i, DoubleUnaryOperator update) {
        Objects.requireNonNull(update, "update");
        long offset = offset(i, SHIFT);
        while (true) {
            long prev = lvBits(offset);
            if (casBits(offset, prev, bits(update.applyAsDouble(d(prev))))) {
                return d(prev);
            }
        }
    }

    @Override
    public double updateAndGet(int i, DoubleUnaryOperator update) {
        Objects.requireNonNull(update, "update");
        long offset = offset(i, SHIFT);
        while (true) {
            long prev = lvBits(offset);
            double next = update.applyAsDouble(d(prev));
            if (casBits(offset, prev, bits(next))) {
                return next;
            }
        }
    }

    /** Plain reads of every element after a full fence: each is at least as fresh as the fence. */
    @Override
    public double[] toArray() {
        double[] copy = new double[length];
        VarHandle.fullFence();
        MemorySegment.copy(elements, JAVA_DOUBLE, 0, copy, 0, length);
        return copy;
    }

    @Override
    public String toString() {
        return isClosed() ? closedString("SharedDoubleArray") : Arrays.toString(toArray());
    }
}
