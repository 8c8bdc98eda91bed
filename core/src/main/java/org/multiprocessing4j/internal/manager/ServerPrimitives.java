package org.multiprocessing4j.internal.manager;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.ManagedValue;
import org.multiprocessing4j.ProcessEvent;
import org.multiprocessing4j.ProcessSemaphore;
import org.multiprocessing4j.SerializableFunction;

/** The semaphore, event and value a manager holds; their proxies are dynamic proxies of the interfaces. */
final class ServerPrimitives {
    private ServerPrimitives() {}

    /** {@link ProcessSemaphore} over {@link Semaphore}; bounded: release past the initial count fails. */
    static final class ServerSemaphore implements ProcessSemaphore {
        private final Semaphore permits;
        private final int bound; // -1: unbounded

        ServerSemaphore(int permits, boolean bounded) {
            if (permits < 0) {
                throw new IllegalArgumentException("permits must be ≥ 0, was " + permits);
            }
            this.permits = new Semaphore(permits, true);
            this.bound = bounded ? permits : -1;
        }

        @Override
        public void acquire() throws InterruptedException {
            permits.acquire();
        }

        @Override
        public void acquire(int n) throws InterruptedException {
            permits.acquire(n);
        }

        /* The server interrupts a call only when its connection has ended: then nobody wants the permit. */
        @Override
        public void acquireUninterruptibly() {
            acquireUninterruptibly(1);
        }

        @Override
        public void acquireUninterruptibly(int n) {
            try {
                permits.acquire(n);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("the caller's connection ended while it waited", e);
            }
        }

        @Override
        public boolean tryAcquire() {
            return permits.tryAcquire();
        }

        @Override
        public boolean tryAcquire(int n) {
            return permits.tryAcquire(n);
        }

        @Override
        public boolean tryAcquire(Duration timeout) throws InterruptedException {
            return permits.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }

        @Override
        public boolean tryAcquire(int n, Duration timeout) throws InterruptedException {
            return permits.tryAcquire(n, timeout.toNanos(), TimeUnit.NANOSECONDS);
        }

        @Override
        public void release() {
            release(1);
        }

        @Override
        public synchronized void release(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("permits must be ≥ 0, was " + n);
            }
            if (bound >= 0 && (long) permits.availablePermits() + n > bound) {
                throw new IllegalStateException("semaphore released too many times (bound " + bound + ")");
            }
            permits.release(n);
        }

        @Override
        public int availablePermits() {
            return permits.availablePermits();
        }

        @Override
        public int drainPermits() {
            return permits.drainPermits();
        }

        @Override
        public boolean isBounded() {
            return bound >= 0;
        }

        @Override
        public String name() {
            return "manager semaphore";
        }

        @Override
        public void close() {
            // it lives as long as its server
        }
    }

    /** {@link ProcessEvent} on a monitor. */
    static final class ServerEvent implements ProcessEvent {
        private boolean set; // guarded by this

        @Override
        public synchronized void set() {
            set = true;
            notifyAll();
        }

        @Override
        public synchronized void clear() {
            set = false;
        }

        @Override
        public synchronized boolean isSet() {
            return set;
        }

        @Override
        public synchronized void await() throws InterruptedException {
            while (!set) {
                wait();
            }
        }

        @Override
        public synchronized boolean await(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!set) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }

        @Override
        public String name() {
            return "manager event";
        }

        @Override
        public void close() {
            // it lives as long as its server
        }
    }

    /** {@link ManagedValue} on a monitor. */
    static final class ServerValue<T> implements ManagedValue<T> {
        private T value; // guarded by this

        ServerValue(T initial) {
            this.value = initial;
        }

        @Override
        public synchronized T get() {
            return value;
        }

        @Override
        public synchronized void set(T v) {
            value = v;
        }

        @Override
        public synchronized T getAndSet(T v) {
            T old = value;
            value = v;
            return old;
        }

        @Override
        public synchronized boolean compareAndSet(T expected, T v) {
            if (!Objects.equals(value, expected)) {
                return false;
            }
            value = v;
            return true;
        }

        @Override
        public synchronized T updateAndGet(SerializableFunction<T, T> update) {
            value = update.apply(value);
            return value;
        }

        @Override
        public synchronized String toString() {
            return "Value(" + value + ")";
        }
    }
}
