package org.multiprocessing4j;

import java.util.concurrent.BlockingQueue;

/**
 * A queue between processes (Python's {@code multiprocessing.Queue}): a {@link BlockingQueue} whose
 * elements live in shared memory, so that any process it is sent to (captured in a task, passed to
 * a child) puts and takes on the same queue, never a copy.
 *
 * <p>Elements are serialized on {@code put} and deserialized on {@code take}: each taker gets its own
 * copy. Unlike Python's, there is no feeder thread: when {@code put} or {@code offer} returns
 * {@code true}, the element is in shared memory, so a process may exit right after putting (Python's
 * "put a big item, then join the process" deadlock does not exist here).
 *
 * <p>Capacity is counted in elements ({@code maxsize}, as Python's), and also bounded by the bytes
 * of the ring: when the ring is full, {@code offer} returns {@code false} and {@code put} waits, even
 * below {@code maxsize}; {@link #remainingCapacity()} counts elements only. Elements larger than a
 * quarter of the ring go through a shared segment of their own (any size a {@code byte[]} holds).
 *
 * <p>{@link #iterator()} is a snapshot of the elements in the queue when it is called (each a copy);
 * its {@code remove} and {@link #remove(Object)} throw {@link UnsupportedOperationException}.
 * {@link #size()} is exact when the queue is quiescent and an estimate while others put and take.
 * Waiting threads notice an interrupt within 100 ms.
 *
 * <p>A producer killed during {@code put} never wedges the queue: its half-written element is
 * skipped. A consumer killed during {@code take} loses that one element (at most once delivery).
 */
public interface ProcessQueue<E> extends BlockingQueue<E>, AutoCloseable {

    /**
     * Python's {@code join_thread()}: there is no feeder thread, every put element is in shared
     * memory already, so this returns at once.
     */
    void joinThread();

    /** Python's {@code cancel_join_thread()}: nothing to cancel, see {@link #joinThread()}. */
    void cancelJoinThread();

    /**
     * Detaches this process from the queue (Python's {@code close()}); using it afterwards throws
     * {@link IllegalStateException}. Elements in the queue stay for the other processes; the last one
     * to close (or exit) removes the shared memory.
     */
    @Override
    void close();
}
