package org.multiprocessing4j;

import java.io.Serializable;
import java.util.function.DoubleUnaryOperator;

/**
 * A fixed-length array of {@code double} in shared memory: Python's {@code Array('d', length)}.
 * Elements are stored as their IEEE-754 bits; {@link #compareAndSet} compares bits, and
 * {@link #addAndGet} and the update methods are compare-and-set loops.
 *
 * <p>Element accesses are atomic across processes with volatile semantics. {@link #toArray()} (Python's
 * {@code arr[:]}) copies every element, each at least as fresh as an acquire read before the copy, but
 * it is no atomic snapshot of the whole array. An index out of range throws
 * {@link IndexOutOfBoundsException}. Serializable: re-attaches to the same memory in the other process,
 * never a copy. {@link #close()} detaches this process.
 */
public interface SharedDoubleArray extends AutoCloseable, Serializable {

    /** The segment's name ({@code /dev/shm/mp4j.NAME}). */
    String name();

    int length();

    double get(int i);

    void set(int i, double newValue);

    double getAndSet(int i, double newValue);

    /** Sets element {@code i} to {@code newValue} if it has the bits of {@code expected}; whether it did. */
    boolean compareAndSet(int i, double expected, double newValue);

    double getAndAdd(int i, double delta);

    double addAndGet(int i, double delta);

    /** Applies {@code update} to element {@code i} atomically (it may run more than once); the previous value. */
    double getAndUpdate(int i, DoubleUnaryOperator update);

    /** As {@link #getAndUpdate}, returning the new value. */
    double updateAndGet(int i, DoubleUnaryOperator update);

    /** A copy of every element (Python's {@code arr[:]}). */
    double[] toArray();

    /**
     * The lock that comes with this array (Python's {@code get_lock()}): reentrant, the same lock in
     * every process, for compound updates that the atomic methods do not cover. The atomic methods
     * never take it.
     */
    ProcessLock lock();

    /** Detaches this process; later calls in this process fail with {@code IllegalStateException}. */
    @Override
    void close();
}
