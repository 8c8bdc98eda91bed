package org.multiprocessing4j.internal.shared;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.multiprocessing4j.internal.shared.SharedValueLayout.VALUE_OFFSET;

import java.io.Serial;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.function.DoubleUnaryOperator;
import org.multiprocessing4j.SharedDouble;
import org.multiprocessing4j.internal.shm.Kinds;
import org.multiprocessing4j.internal.shm.Segment;
import org.multiprocessing4j.internal.sync.ShmLock;

/**
 * {@link SharedDouble} over a {@link SharedValueLayout} segment: the value's raw IEEE-754 bits in the
 * word; arithmetic is a compare-and-set loop on the bits.
 */
public final class ShmDouble extends SharedStructure implements SharedDouble {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final VarHandle LONG = JAVA_LONG.varHandle();

    private ShmDouble(Segment segment, ShmLock lock) {
        super(segment, lock);
    }

    public static ShmDouble create(double initial) {
        return Structures.create("double", Kinds.DOUBLE, SharedValueLayout.SIZE, (payload, lockRef) -> {
            SharedValueLayout.initialize(payload, Double.doubleToRawLongBits(initial), lockRef);
            return null;
        }, ShmDouble::new);
    }

    static ShmDouble open(String name) {
        return Structures.open(name, Kinds.DOUBLE, p -> SharedValueLayout.check(p, name), SharedValueLayout::lockRef,
                ShmDouble::new);
    }

    private long lvBits() {
        return (long) LONG.getVolatile(payload, VALUE_OFFSET);
    }

    private boolean casBits(long expected, long bits) {
        return LONG.compareAndSet(payload, VALUE_OFFSET, expected, bits);
    }

    private static double d(long bits) {
        return Double.longBitsToDouble(bits);
    }

    private static long bits(double d) {
        return Double.doubleToRawLongBits(d);
    }

    @Override
    public double get() {
        return d(lvBits());
    }

    @Override
    public void set(double newValue) {
        LONG.setVolatile(payload, VALUE_OFFSET, bits(newValue));
    }

    @Override
    public double getAndSet(double newValue) {
        return d((long) LONG.getAndSet(payload, VALUE_OFFSET, bits(newValue)));
    }

    @Override
    public boolean compareAndSet(double expected, double newValue) {
        return casBits(bits(expected), bits(newValue));
    }

    @Override
    public double getAndAdd(double delta) {
        while (true) {
            long prev = lvBits();
            if (casBits(prev, bits(d(prev) + delta))) {
                return d(prev);
            }
        }
    }

    @Override
    public double addAndGet(double delta) {
        return getAndAdd(delta) + delta;
    }

    @Override
    public double getAndUpdate(DoubleUnaryOperator update) {
        Objects.requireNonNull(update, "update");
        while (true) {
            long prev = lvBits();
            if (casBits(prev, bits(update.applyAsDouble(d(prev))))) {
                return d(prev);
            }
        }
    }

    @Override
    public double updateAndGet(DoubleUnaryOperator update) {
        Objects.requireNonNull(update, "update");
        while (true) {
            long prev = lvBits();
            double next = update.applyAsDouble(d(prev));
            if (casBits(prev, bits(next))) {
                return next;
            }
        }
    }

    @Override
    public String toString() {
        return isClosed() ? closedString("SharedDouble") : Double.toString(get());
    }
}
