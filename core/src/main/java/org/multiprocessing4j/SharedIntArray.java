package org.multiprocessing4j;

import java.io.Serializable;
import java.util.function.IntUnaryOperator;

/**
 * A fixed-length array of {@code int} in shared memory: Python's {@code Array('i', length)}, with
 * {@link java.util.concurrent.atomic.AtomicIntegerArray}'s methods.
 *
 * <p>Element accesses are atomic across processes with volatile semantics. {@link #toArray()} (Python's
 * {@code arr[:]}) copies every element, each at least as fresh as an acquire read before the copy, but
 * it is no atomic snapshot of the whole array. An index out of range throws
 * {@link IndexOutOfBoundsException}. Serializable: re-attaches to the same memory in the other process,
 * never a copy. {@link #close()} detaches this process.
 */
public interface SharedIntArray extends AutoCloseable, Serializable {

    /** The segment's name ({@code /dev/shm/mp4j.NAME}). */
    String name();

    int length();

    int get(int i);

    void set(int i, int newValue);

    int getAndSet(int i, int newValue);

    /** Sets element {@code i} to {@code newValue} if it is {@code expected}; whether it did. */
    boolean compareAndSet(int i, int expected, int newValue);

    int getAndIncrement(int i);

    int getAndDecrement(int i);

    int incrementAndGet(int i);

    int decrementAndGet(int i);

    int getAndAdd(int i, int delta);

    int addAndGet(int i, int delta);

    /** Applies {@code update} to element {@code i} atomically (it may run more than once); the previous value. */
    int getAndUpdate(int i, IntUnaryOperator update);

    /** As {@link #getAndUpdate}, returning the new value. */
    int updateAndGet(int i, IntUnaryOperator update);

    /** A copy of every element (Python's {@code arr[:]}). */
    int[] toArray();

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
