package org.multiprocessing4j.internal.manager;

/** What a manager's lock answers, for {@link LockProxy}: owners are named by the caller. */
interface RemoteLock {
    /** Takes the lock for {@code owner}, waiting at most {@code timeoutNanos} (negative: forever). */
    boolean acquire(String owner, long timeoutNanos) throws InterruptedException;

    /** @throws IllegalMonitorStateException if {@code owner} does not hold it */
    void release(String owner);
}
