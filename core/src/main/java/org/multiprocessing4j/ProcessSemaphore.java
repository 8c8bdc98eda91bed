package org.multiprocessing4j;

import java.time.Duration;

/**
 * A counting semaphore shared by processes: {@link Context#semaphore(int)} (Python's {@code Semaphore})
 * and {@link Context#boundedSemaphore(int)} ({@code BoundedSemaphore}: releasing past the initial count
 * is an error). Permits are not owned: any thread of any process may release. Serializable: captured
 * by a task, it attaches to the same semaphore in the child.
 */
public interface ProcessSemaphore extends AutoCloseable {

    /** Takes a permit, waiting for one. @throws InterruptedException if interrupted while waiting */
    void acquire() throws InterruptedException;

    /** Takes a permit if one is available now. */
    boolean tryAcquire();

    /**
     * Takes a permit, waiting at most {@code timeout}; false if none came.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    boolean tryAcquire(Duration timeout) throws InterruptedException;

    /**
     * Returns a permit, waking one waiter of any process.
     *
     * @throws IllegalStateException if bounded and the count would exceed its initial value (Python's
     *         {@code ValueError: Semaphore released too many times})
     */
    void release();

    /** The permits available now (a snapshot). */
    int availablePermits();

    /** Whether {@link #release()} checks the initial count. */
    boolean isBounded();

    /** The segment's name under {@code /dev/shm} (without the {@code mp4j.} prefix). */
    String name();

    /** Detaches this process; the segment is removed when its last process detaches or exits. */
    @Override
    void close();
}
