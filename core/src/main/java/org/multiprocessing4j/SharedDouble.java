package org.multiprocessing4j;

import java.io.Serializable;
import java.util.function.DoubleUnaryOperator;

/**
 * A {@code double} in shared memory, read and updated atomically by every process that has it:
 * Python's {@code Value('d', initial)}. Stored as its IEEE-754 bits; {@link #compareAndSet} compares
 * bits ({@code Double.doubleToRawLongBits}), so {@code 0.0} and {@code -0.0} differ and a {@code NaN}
 * matches the same {@code NaN}, as Guava's {@code AtomicDouble} does.
 *
 * <p>Every method is atomic across processes with volatile semantics; {@link #addAndGet} and the
 * update methods are compare-and-set loops. Serializable: re-attaches in the other process.
 */
public interface SharedDouble extends AutoCloseable, Serializable {

    /** The segment's name ({@code /dev/shm/mp4j.NAME}). */
    String name();

    double get();

    void set(double newValue);

    double getAndSet(double newValue);

    /** Sets {@code newValue} if the value has the bits of {@code expected}; whether it did. */
    boolean compareAndSet(double expected, double newValue);

    double getAndAdd(double delta);

    double addAndGet(double delta);

    /** Applies {@code update} atomically (it may run more than once); returns the previous value. */
    double getAndUpdate(DoubleUnaryOperator update);

    /** As {@link #getAndUpdate}, returning the new value. */
    double updateAndGet(DoubleUnaryOperator update);

    /**
     * The lock that comes with this value (Python's {@code get_lock()}): reentrant, the same lock in
     * every process, for compound updates that the atomic methods do not cover. The atomic methods
     * never take it.
     */
    ProcessLock lock();

    /** Detaches this process; later calls in this process fail with {@code IllegalStateException}. */
    @Override
    void close();
}
