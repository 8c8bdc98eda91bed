package org.multiprocessing4j.internal.manager;

import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * A {@link Lock} held on a manager server. The owner is this process and thread, so a lock taken by
 * one thread is held by it alone wherever the calls travel. Serialized, it is the address and the
 * lock's id, like every proxy.
 */
final class LockProxy implements Lock, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final Class<?>[] ACQUIRE = {String.class, long.class};
    private static final Class<?>[] RELEASE = {String.class};

    private final String address;
    private final String id;
    private final boolean reentrant;
    private transient volatile Endpoint endpoint;

    LockProxy(Endpoint endpoint, String id, boolean reentrant) {
        this.endpoint = endpoint;
        this.address = endpoint.address();
        this.id = id;
        this.reentrant = reentrant;
    }

    private Endpoint endpoint() {
        Endpoint e = endpoint;
        if (e == null) {
            e = Endpoint.of(address);
            endpoint = e;
        }
        return e;
    }

    private static String owner() {
        return ProcessHandle.current().pid() + "/" + Thread.currentThread().threadId();
    }

    @Override
    public void lock() {
        acquire(-1L);
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
        return acquire(0L);
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return acquire(Math.max(0L, unit.toNanos(time)));
    }

    private boolean acquire(long timeoutNanos) {
        return (Boolean) call("acquire", ACQUIRE, owner(), timeoutNanos);
    }

    @Override
    public void unlock() {
        call("release", RELEASE, owner());
    }

    private Object call(String method, Class<?>[] types, Object... args) {
        try {
            return endpoint().call(id, RemoteLock.class, method, types, args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new UncheckedIOException(new java.io.IOException("the manager's lock failed", t));
        }
    }

    /** @throws UnsupportedOperationException always: a manager's lock has no conditions yet */
    @Override
    public Condition newCondition() {
        throw new UnsupportedOperationException("a manager's lock has no conditions");
    }

    @Override
    public String toString() {
        return (reentrant ? "RLock " : "Lock ") + id + " at " + address;
    }
}
