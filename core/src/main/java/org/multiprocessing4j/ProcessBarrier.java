package org.multiprocessing4j;

import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;

/**
 * A cyclic barrier whose parties are threads of any processes: {@link Context#barrier(int)} (Python's
 * {@code Barrier}), with {@link java.util.concurrent.CyclicBarrier}'s semantics: the last of
 * {@link #parties()} arrivals releases all and the barrier starts over; an interrupt, a timeout,
 * {@link #abort()} or {@link #reset()} while some wait, or the death of a waiting party's process,
 * breaks it, and every waiter and later arrival gets {@link BrokenBarrierException} until
 * {@link #reset()}. Serializable: captured by a task, it attaches to the same barrier in the child.
 */
public interface ProcessBarrier extends AutoCloseable {

    /**
     * Waits until all parties have arrived.
     *
     * @return the arrival index: {@code parties() - 1} for the first to arrive, 0 for the last
     * @throws BrokenBarrierException if the barrier is or becomes broken while waiting
     * @throws InterruptedException if interrupted while waiting (the barrier breaks)
     */
    int await() throws InterruptedException, BrokenBarrierException;

    /**
     * As {@link #await()}, at most {@code timeout}.
     *
     * @throws TimeoutException if the time passed (the barrier breaks)
     */
    int await(Duration timeout) throws InterruptedException, BrokenBarrierException, TimeoutException;

    /** Breaks the barrier for those waiting (they get {@link BrokenBarrierException}), then starts it over. */
    void reset();

    /** Breaks the barrier (Python's {@code abort()}): waiters and later arrivals fail until {@link #reset()}. */
    void abort();

    int parties();

    /** How many parties wait now. */
    int waiting();

    boolean isBroken();

    /** The segment's name under {@code /dev/shm} (without the {@code mp4j.} prefix). */
    String name();

    /** Detaches this process; the segment is removed when its last process detaches or exits. */
    @Override
    void close();
}
