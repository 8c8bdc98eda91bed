package org.multiprocessing4j;

import java.io.Serializable;
import java.util.function.LongUnaryOperator;

/**
 * A {@code long} in shared memory, read and updated atomically by every process that has it: Python's
 * {@code Value('q', initial)}, with {@link java.util.concurrent.atomic.AtomicLong}'s methods.
 *
 * <pre>{@code
 * SharedLong counter = ctx.sharedLong(0);
 * ctx.process(() -> { for (int i = 0; i < 1000; i++) counter.incrementAndGet(); }).start().join();
 * counter.get();   // 1000: the child updated the parent's memory, not a copy
 * }</pre>
 *
 * <p>Every method is atomic across processes with volatile semantics, as {@code AtomicLong}'s are:
 * {@code v.value += 1} under {@code v.get_lock()} is {@code incrementAndGet()} here, with no lock.
 * Captured in a task (it is {@link Serializable}) it re-attaches to the same memory in the child.
 * {@link #close()} detaches this process; the memory goes when its last process closes it or exits.
 */
public interface SharedLong extends AutoCloseable, Serializable {

    /** The segment's name ({@code /dev/shm/mp4j.NAME}). */
    String name();

    long get();

    void set(long newValue);

    long getAndSet(long newValue);

    /** Sets {@code newValue} if the value is {@code expected}; whether it did. */
    boolean compareAndSet(long expected, long newValue);

    long getAndIncrement();

    long getAndDecrement();

    long incrementAndGet();

    long decrementAndGet();

    long getAndAdd(long delta);

    long addAndGet(long delta);

    /**
     * Applies {@code update} atomically (a compare-and-set loop, in this process; {@code update} may run
     * more than once and should be side-effect free) and returns the previous value.
     */
    long getAndUpdate(LongUnaryOperator update);

    /** As {@link #getAndUpdate}, returning the new value. */
    long updateAndGet(LongUnaryOperator update);

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
