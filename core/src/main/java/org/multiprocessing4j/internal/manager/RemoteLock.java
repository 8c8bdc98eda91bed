package org.multiprocessing4j.internal.manager;

/** What a manager's lock answers, for {@link LockProxy}: owners are named by the caller. */
interface RemoteLock {
    /** Takes the lock for {@code owner}, waiting at most {@code timeoutNanos} (negative: forever). */
    boolean acquire(String owner, long timeoutNanos) throws InterruptedException;

    /** @throws IllegalMonitorStateException if {@code owner} does not hold it */
    void release(String owner);

    /** How many times {@code owner} holds the lock (0: not at all). */
    int holdCount(String owner);

    /** Whether {@code owner} holds the lock and took it from a process that died holding it. */
    boolean recovered(String owner);

    /** Whether anyone holds it. */
    boolean locked();

    /** How many callers wait to acquire it. */
    int queueLength();
}
