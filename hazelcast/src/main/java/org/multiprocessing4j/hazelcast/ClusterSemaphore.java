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
        awaitUntil(this::tryAcquire, Long.MAX_VALUE / 2 + System.nanoTime());
    }

    @Override
    public boolean tryAcquire() {
        return op(StateOp.TAKE, 0, 0, 0)[0] == 1;
    }

    @Override
    public boolean tryAcquire(Duration timeout) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return awaitUntil(this::tryAcquire, deadline(timeout));
    }

    @Override
    public void release() {
        if (op(StateOp.GIVE, 0, 0, 0)[0] < 0) {
            throw new IllegalStateException("semaphore released too many times");
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
