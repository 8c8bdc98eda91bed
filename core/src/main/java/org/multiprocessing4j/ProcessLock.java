package org.multiprocessing4j;

import java.util.concurrent.locks.Lock;

/**
 * A {@link Lock} shared by processes: {@link Context#lock()} (Python's {@code Lock}) and
 * {@link Context#rlock()} (Python's {@code RLock}, reentrant). Owned by a thread of one process;
 * {@link #newCondition()} gives a {@link java.util.concurrent.locks.Condition} that works across
 * processes. Serializable: captured by a task, it attaches to the same lock in the child. Its
 * {@code toString()} ends, as {@link java.util.concurrent.locks.ReentrantLock}'s does, in
 * {@code [Unlocked]} or {@code [Locked by thread T of pid P]} (T: the owner's {@link Thread#threadId()},
 * low 32 bits).
 *
 * <p><b>A dead owner.</b> If the process holding the lock dies, the next acquirer takes it within a
 * fraction of a second; {@code lock()} succeeds as usual, a warning is logged, and
 * {@link #isRecovered()} returns {@code true} to the new owner until it unlocks, so that it can repair
 * what the dead owner left half-done (pthread's {@code EOWNERDEAD}, without the exception).
 */
public interface ProcessLock extends Lock, AutoCloseable {

    /**
     * Whether the calling thread holds this lock and took it from a process that died holding it. The
     * state the lock guards may be inconsistent. Cleared by the (outermost) {@code unlock()}.
     */
    boolean isRecovered();

    /** Whether the calling thread holds this lock. */
    boolean isHeldByCurrentThread();

    /** How many times the calling thread holds this lock (0 if it does not; at most 1 unless reentrant). */
    int getHoldCount();

    /** Whether a thread of any process holds this lock (a snapshot, for monitoring). */
    boolean isLocked();

    /**
     * Whether threads of any process wait to acquire this lock (a snapshot, for monitoring, as
     * {@link java.util.concurrent.locks.ReentrantLock#hasQueuedThreads()}). Threads of a process that
     * has died are not counted.
     */
    boolean hasQueuedThreads();

    /**
     * An estimate of how many threads of all processes wait to acquire this lock (for monitoring, as
     * {@link java.util.concurrent.locks.ReentrantLock#getQueueLength()}).
     */
    int getQueueLength();

    /** Whether the owner thread may lock again ({@link Context#rlock()}). */
    boolean isReentrant();

    /** The segment's name under {@code /dev/shm} (without the {@code mp4j.} prefix). */
    String name();

    /**
     * Detaches this process from the lock; the lock must not be used here after. The segment is
     * removed when the last process attached to it closes or exits.
     */
    @Override
    void close();
}
