package org.multiprocessing4j;

import java.io.Serializable;
import java.util.function.LongUnaryOperator;

/**
 * A fixed-length array of {@code long} in shared memory: Python's {@code Array('q', length)}, with
 * {@link java.util.concurrent.atomic.AtomicLongArray}'s methods.
 *
 * <p>Element accesses are atomic across processes with volatile semantics. {@link #toArray()} (Python's
 * {@code arr[:]}) copies every element, each at least as fresh as an acquire read before the copy, but
 * it is no atomic snapshot of the whole array. An index out of range throws
 * {@link IndexOutOfBoundsException}. Serializable: re-attaches to the same memory in the other process,
 * never a copy. {@link #close()} detaches this process.
 */
public interface SharedLongArray extends AutoCloseable, Serializable {

    /** The segment's name ({@code /dev/shm/mp4j.NAME}). */
    String name();

    int length();

    long get(int i);

    void set(int i, long newValue);

    long getAndSet(int i, long newValue);

    /** Sets element {@code i} to {@code newValue} if it is {@code expected}; whether it did. */
    boolean compareAndSet(int i, long expected, long newValue);

    long getAndIncrement(int i);

    long getAndDecrement(int i);

    long incrementAndGet(int i);

    long decrementAndGet(int i);

    long getAndAdd(int i, long delta);

    long addAndGet(int i, long delta);

    /** Applies {@code update} to element {@code i} atomically (it may run more than once); the previous value. */
    long getAndUpdate(int i, LongUnaryOperator update);

    /** As {@link #getAndUpdate}, returning the new value. */
    long updateAndGet(int i, LongUnaryOperator update);

    /** A copy of every element (Python's {@code arr[:]}). */
    long[] toArray();

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
