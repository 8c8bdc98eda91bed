package org.multiprocessing4j;

/**
 * A {@link ProcessQueue} that counts unfinished elements (Python's {@code JoinableQueue}): every put
 * adds one, every {@link #taskDone()} removes one, and {@link #join()} waits until none is left.
 */
public interface JoinableQueue<E> extends ProcessQueue<E> {

    /**
     * Says that an element taken from the queue has been dealt with.
     *
     * @throws IllegalStateException if called more times than elements were put (Python's ValueError)
     */
    void taskDone();

    /** Waits until every element put has had its {@link #taskDone()}, in any process. */
    void join() throws InterruptedException;
}
