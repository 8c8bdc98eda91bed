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
    private boolean ownerDied;             // guarded by monitor: freed because its owner's connection ended
    private boolean recovered;             // guarded by monitor: the owner took it from a dead one
    private int waiting;                   // guarded by monitor

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
            waiting++;
            try {
                while (owner != null) {
                    if (timeoutNanos < 0) {
                        released.await();
                    } else if (left <= 0) {
                        return false;
                    } else {
                        left = released.awaitNanos(left);
                    }
                }
            } finally {
                waiting--;
            }
            owner = who;
            holds = 1;
            recovered = ownerDied;
            ownerDied = false;
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
            if (owner == null || !who.equals(owner)) {
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
                ownerDied = true;
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
        recovered = false;
        released.signal();
    }

    @Override
    public int holdCount(String who) {
        monitor.lock();
        try {
            return who.equals(owner) ? holds : 0;
        } finally {
            monitor.unlock();
        }
    }

    @Override
    public boolean recovered(String who) {
        monitor.lock();
        try {
            return who.equals(owner) && recovered;
        } finally {
            monitor.unlock();
        }
    }

    @Override
    public boolean locked() {
        monitor.lock();
        try {
            return owner != null;
        } finally {
            monitor.unlock();
        }
    }

    @Override
    public int queueLength() {
        monitor.lock();
        try {
            return waiting;
        } finally {
            monitor.unlock();
        }
    }

    /** As {@code ReentrantLock}'s: {@code [Unlocked]} or {@code [Locked by thread T of pid P]}. */
    @Override
    public String toString() {
        monitor.lock();
        try {
            if (owner == null) {
                return "[Unlocked]";
            }
            int slash = owner.indexOf('/');
            return slash < 0 ? "[Locked by " + owner + "]"
                    : "[Locked by thread " + owner.substring(slash + 1) + " of pid " + owner.substring(0, slash) + "]";
        } finally {
            monitor.unlock();
        }
    }
}
