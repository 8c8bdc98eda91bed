package org.multiprocessing4j.internal.manager;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A manager's lock, on the server. Its owner is a name the client gives (process and thread), not a
 * server thread, since a client's calls may come over any of its connections.
 *
 * <p><b>Failure.</b> The lock remembers the connection it was taken over; when that connection ends
 * (the client closed it, or died), {@link ManagerServer} calls {@link #releaseIfTakenOver}: a lock
 * held by a dead process is released.
 */
final class ServerLock implements RemoteLock {
    private final boolean reentrant;
    private final ReentrantLock monitor = new ReentrantLock();
    private final Condition released = monitor.newCondition();
    private String owner;                  // guarded by monitor
    private int holds;                     // guarded by monitor
    private ManagerServer.Peer takenOver;  // guarded by monitor

    ServerLock(boolean reentrant) {
        this.reentrant = reentrant;
    }

    @Override
    public boolean acquire(String who, long timeoutNanos) throws InterruptedException {
        monitor.lock();
        try {
            if (reentrant && who.equals(owner)) {
                holds++;
                return true;
            }
            long left = timeoutNanos;
            while (owner != null) {
                if (timeoutNanos < 0) {
                    released.await();
                } else if (left <= 0) {
                    return false;
                } else {
                    left = released.awaitNanos(left);
                }
            }
            owner = who;
            holds = 1;
            takenOver = ManagerServer.currentPeer();
            if (takenOver != null && !takenOver.holding(this)) {
                free(); // its connection ended while it waited: nobody would ever release it
                return false;
            }
            return true;
        } finally {
            monitor.unlock();
        }
    }

    @Override
    public void release(String who) {
        monitor.lock();
        try {
            if (owner == null || (reentrant && !who.equals(owner))) {
                throw new IllegalMonitorStateException(owner == null ? "the lock is not held"
                        : "the lock is held by " + owner + ", not by " + who);
            }
            if (--holds == 0) {
                free();
            }
        } finally {
            monitor.unlock();
        }
    }

    /** Releases the lock if it was taken over {@code peer}, whose connection has ended. */
    void releaseIfTakenOver(ManagerServer.Peer peer) {
        monitor.lock();
        try {
            if (owner != null && takenOver == peer) {
                free();
            }
        } finally {
            monitor.unlock();
        }
    }

    private void free() { // monitor held
        if (takenOver != null) {
            takenOver.released(this);
        }
        owner = null;
        holds = 0;
        takenOver = null;
        released.signal();
    }

    @Override
    public String toString() {
        monitor.lock();
        try {
            return (reentrant ? "RLock" : "Lock") + "[" + (owner == null ? "unlocked" : "held by " + owner) + "]";
        } finally {
            monitor.unlock();
        }
    }
}
