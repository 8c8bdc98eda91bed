package org.multiprocessing4j.hazelcast;

import java.time.Duration;
import org.multiprocessing4j.ProcessSemaphore;

/** A semaphore on the cluster: {@code {permits, bound}} in the state map, taken and given by entry processors. */
final class ClusterSemaphore extends StateObject implements ProcessSemaphore {
    private static final long serialVersionUID = 1L;
    private final boolean bounded;

    ClusterSemaphore(ClusterNode node, int permits, boolean bounded) {
        super(node, "semaphore", new long[] {requireNonNegative(permits), bounded ? permits : -1});
        this.bounded = bounded;
    }

    private static int requireNonNegative(int permits) {
        if (permits < 0) {
            throw new IllegalArgumentException("permits must be ≥ 0, was " + permits);
        }
        return permits;
    }

    @Override
    public void acquire() throws InterruptedException {
        acquire(1);
    }

    @Override
    public void acquire(int permits) throws InterruptedException {
        requirePermits(permits);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        awaitUntil(() -> tryAcquire(permits), Long.MAX_VALUE / 2 + System.nanoTime());
    }

    @Override
    public boolean tryAcquire() {
        return tryAcquire(1);
    }

    @Override
    public boolean tryAcquire(int permits) {
        requirePermits(permits);
        return permits == 0 || op(StateOp.TAKE, 0, permits, 0)[0] == 1;
    }

    @Override
    public boolean tryAcquire(Duration timeout) throws InterruptedException {
        return tryAcquire(1, timeout);
    }

    @Override
    public boolean tryAcquire(int permits, Duration timeout) throws InterruptedException {
        requirePermits(permits);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return awaitUntil(() -> tryAcquire(permits), deadline(timeout));
    }

    @Override
    public void release() {
        release(1);
    }

    @Override
    public void release(int permits) {
        requirePermits(permits);
        if (permits > 0 && op(StateOp.GIVE, 0, permits, 0)[0] < 0) {
            throw new IllegalStateException("semaphore released too many times");
        }
    }

    @Override
    public int drainPermits() {
        return (int) op(StateOp.DRAIN, 0, 0, 0)[0];
    }

    private static void requirePermits(int permits) {
        if (permits < 0) {
            throw new IllegalArgumentException("permits must be ≥ 0, was " + permits);
        }
    }

    @Override
    public int availablePermits() {
        return (int) read(0);
    }

    @Override
    public boolean isBounded() {
        return bounded;
    }
}
