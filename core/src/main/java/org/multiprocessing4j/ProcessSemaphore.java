package org.multiprocessing4j;

import java.time.Duration;

/**
 * A counting semaphore shared by processes: {@link Context#semaphore(int)} (Python's {@code Semaphore})
 * and {@link Context#boundedSemaphore(int)} ({@code BoundedSemaphore}: releasing past the initial count
 * is an error). Permits are not owned: any thread of any process may release. Serializable: captured
 * by a task, it attaches to the same semaphore in the child. The methods are
 * {@link java.util.concurrent.Semaphore}'s, with a {@link Duration} for a timeout.
 *
 * <p><b>A dead holder.</b> Permits that a process took and did not give back are returned when it dies
 * (its {@code kill -9} included) by {@link Context#semaphore(int)}'s semaphores, as far as the count
 * stays at or below the initial permits: a semaphore that bounds how many may do something gets its
 * capacity back, and a semaphore used as a signal ({@code semaphore(0)}, permits made by
 * {@code release()}) treats the permits a dead process took as consumed. Python's and POSIX semaphores
 * lose a dead holder's permits for good. A manager's semaphore ({@link Manager#semaphore(int)}) does
 * too.
 */
public interface ProcessSemaphore extends AutoCloseable {

    /** Takes a permit, waiting for one. @throws InterruptedException if interrupted while waiting */
    void acquire() throws InterruptedException;

    /**
     * Takes {@code permits} permits, waiting until that many are available at once.
     *
     * @throws InterruptedException if interrupted while waiting (no permit is taken)
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    void acquire(int permits) throws InterruptedException;

    /** Takes a permit, waiting for one; an interrupt meanwhile is kept in the thread's status. */
    default void acquireUninterruptibly() {
        acquireUninterruptibly(1);
    }

    /**
     * Takes {@code permits} permits, waiting; an interrupt meanwhile is kept in the thread's status.
     *
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    default void acquireUninterruptibly(int permits) {
        if (permits < 0) {
            throw new IllegalArgumentException("permits must be ≥ 0, was " + permits);
        }
        boolean interrupted = false;
        while (true) {
            try {
                acquire(permits);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Takes a permit if one is available now. */
    boolean tryAcquire();

    /**
     * Takes {@code permits} permits if that many are available now.
     *
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    boolean tryAcquire(int permits);

    /**
     * Takes a permit, waiting at most {@code timeout}; false if none came.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    boolean tryAcquire(Duration timeout) throws InterruptedException;

    /**
     * Takes {@code permits} permits, waiting at most {@code timeout} for that many to be available at
     * once; false, with none taken, if they did not come.
     *
     * @throws InterruptedException if interrupted while waiting
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    boolean tryAcquire(int permits, Duration timeout) throws InterruptedException;

    /**
     * Returns a permit, waking one waiter of any process.
     *
     * @throws IllegalStateException if bounded and the count would exceed its initial value (Python's
     *         {@code ValueError: Semaphore released too many times})
     */
    void release();

    /**
     * Returns {@code permits} permits, waking waiters of any process.
     *
     * @throws IllegalArgumentException if {@code permits} is negative
     * @throws IllegalStateException if bounded and the count would exceed its initial value (then no
     *         permit is returned)
     */
    void release(int permits);

    /** The permits available now (a snapshot). */
    int availablePermits();

    /** Takes every permit available now and returns how many that was. */
    int drainPermits();

    /** Whether {@link #release()} checks the initial count. */
    boolean isBounded();

    /** The segment's name under {@code /dev/shm} (without the {@code mp4j.} prefix). */
    String name();

    /** Detaches this process; the segment is removed when its last process detaches or exits. */
    @Override
    void close();
}
