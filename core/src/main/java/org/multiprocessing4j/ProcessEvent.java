package org.multiprocessing4j;

import java.time.Duration;

/**
 * A flag shared by processes that threads can wait for: {@link Context#event()} (Python's
 * {@code Event}). {@link #set()} wakes every waiter in every process at once (a futex wake, not
 * polling). Serializable: captured by a task, it attaches to the same event in the child.
 */
public interface ProcessEvent extends AutoCloseable {

    /** Sets the flag and wakes all waiters. */
    void set();

    /** Clears the flag: later {@code await}s block until the next {@link #set()}. */
    void clear();

    boolean isSet();

    /** Waits until the flag is set. @throws InterruptedException if interrupted while waiting */
    void await() throws InterruptedException;

    /**
     * Waits at most {@code timeout} for the flag; returns the flag (Python's {@code wait(timeout)}).
     *
     * @throws InterruptedException if interrupted while waiting
     */
    boolean await(Duration timeout) throws InterruptedException;

    /** The segment's name under {@code /dev/shm} (without the {@code mp4j.} prefix). */
    String name();

    /** Detaches this process; the segment is removed when its last process detaches or exits. */
    @Override
    void close();
}
