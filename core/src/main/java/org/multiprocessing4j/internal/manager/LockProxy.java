package org.multiprocessing4j.internal.manager;

import java.io.Serial;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import org.multiprocessing4j.ProcessLock;

/**
 * A {@link Lock} held on a manager server. The owner is this process and thread, so a lock taken by
 * one thread is held by it alone wherever the calls travel. Serialized, it is the address and the
 * lock's id, like every proxy.
 */
final class LockProxy extends RemoteObject implements ProcessLock {
    @Serial
    private static final long serialVersionUID = 2L;
    private static final String ACQUIRE = "acquire(java.lang.String,long)";
    private static final String RELEASE = "release(java.lang.String)";
    /** {@code pid/}: the first part of every owner named in this process (built once, without indy). */
    private static final String PROCESS = new StringBuilder().append(ProcessHandle.current().pid()).append('/').toString();

    private final boolean reentrant;

    LockProxy(Calls calls, String id, boolean reentrant) {
        super(calls, id);
        this.reentrant = reentrant;
    }

    private static String owner() {
        return PROCESS.concat(Long.toString(Thread.currentThread().threadId()));
    }

    @Override
    public void lock() {
        acquireUninterruptibly(-1L);
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        acquire(-1L);
    }

    @Override
    public boolean tryLock() {
        return acquireUninterruptibly(0L);
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return acquire(Math.max(0L, unit.toNanos(time)));
    }

    private boolean acquire(long timeoutNanos) throws InterruptedException {
        return (Boolean) callInterruptibly(ACQUIRE, owner(), timeoutNanos);
    }

    /* The server's wait is interrupted only when this connection has ended, so no reply comes then. */
    private boolean acquireUninterruptibly(long timeoutNanos) {
        try {
            return acquire(timeoutNanos);
        } catch (InterruptedException e) {
            throw new UncheckedIOException(new java.io.IOException("the manager's lock failed", e));
        }
    }

    @Override
    public void unlock() {
        call(RELEASE, owner());
    }

    @Override
    public boolean isRecovered() {
        return (Boolean) call("recovered(java.lang.String)", owner());
    }

    @Override
    public boolean isHeldByCurrentThread() {
        return getHoldCount() > 0;
    }

    @Override
    public int getHoldCount() {
        return (Integer) call("holdCount(java.lang.String)", owner());
    }

    @Override
    public boolean isReentrant() {
        return reentrant;
    }

    @Override
    public boolean isLocked() {
        return (Boolean) call("locked()");
    }

    @Override
    public boolean hasQueuedThreads() {
        return getQueueLength() > 0;
    }

    @Override
    public int getQueueLength() {
        return (Integer) call("queueLength()");
    }

    /** The lock's id on its server. */
    @Override
    public String name() {
        return id();
    }

    /** Nothing to do: the lock lives as long as its server. */
    @Override
    public void close() {
        // the server holds it
    }

    /** @throws UnsupportedOperationException always: a manager's lock has no conditions yet */
    @Override
    public Condition newCondition() {
        throw new UnsupportedOperationException("a manager's lock has no conditions");
    }

    /** Equal to every proxy of the same lock, and to nothing else (a lock has no value to compare). */
    @Override
    public boolean equals(Object o) {
        return o instanceof LockProxy other && other.id().equals(id()) && other.address().equals(address());
    }

    @Override
    public int hashCode() {
        return id().hashCode() * 31 + address().hashCode();
    }

    /** The id and address, then, as {@code ReentrantLock}'s, {@code [Unlocked]} or {@code [Locked by …]}. */
    @Override
    public String toString() {
        String state;
        try {
            state = (String) call("toString()");
        } catch (RuntimeException gone) {
            state = "[" + gone.getMessage() + "]";
        }
        return (reentrant ? "RLock " : "Lock ") + id() + " at " + address() + state;
    }
}
