package org.multiprocessing4j.hazelcast;

import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;
import org.multiprocessing4j.ProcessBarrier;
import org.multiprocessing4j.SerializableRunnable;

/**
 * A cyclic barrier on the cluster: {@code {count, generation, broken, parties, reset generation}} in the
 * state map. The last arrival runs the action (if any), then trips the barrier; a timeout, an interrupt
 * or {@link #abort()} breaks the current generation; {@link #reset()} breaks it for those waiting and
 * starts the next. A waiting party whose process dies does not break it (no liveness of waiters is
 * tracked on the cluster): the others' timeouts do.
 */
final class ClusterBarrier extends StateObject implements ProcessBarrier {
    private static final long serialVersionUID = 1L;
    private final int parties;
    private final SerializableRunnable action;

    ClusterBarrier(ClusterNode node, int parties, SerializableRunnable action) {
        super(node, "barrier", new long[] {0, 0, 0, check(parties), -1});
        this.parties = parties;
        this.action = action;
    }

    private static int check(int parties) {
        if (parties < 1 || parties > 10_000) {
            throw new IllegalArgumentException("parties must be 1 to 10 000, was " + parties);
        }
        return parties;
    }

    @Override
    public int await() throws InterruptedException, BrokenBarrierException {
        try {
            return await(Long.MAX_VALUE / 2 + System.nanoTime());
        } catch (TimeoutException e) {
            throw new AssertionError("no deadline", e);
        }
    }

    @Override
    public int await(Duration timeout) throws InterruptedException, BrokenBarrierException, TimeoutException {
        return await(deadline(timeout));
    }

    private int await(long deadline) throws InterruptedException, BrokenBarrierException, TimeoutException {
        if (Thread.interrupted()) {
            op(StateOp.BREAK, 0, -1, 0);
            throw new InterruptedException();
        }
        long[] arrival = op(StateOp.ARRIVE, 0, 0, 0);
        long generation = arrival[1];
        if (arrival[0] < 0) {
            throw new BrokenBarrierException();
        }
        if (arrival[0] == 0) {
            if (action != null) {
                try {
                    action.run();
                } catch (RuntimeException | Error e) {
                    op(StateOp.BREAK, 0, generation, 0);
                    throw e;
                }
            }
            op(StateOp.TRIP, 0, generation, 0);
            return 0;
        }
        boolean passed;
        try {
            passed = awaitUntil(() -> {
                long[] v = op(StateOp.GET_ALL, 0, 0, 0);
                return v[1] != generation || v[2] != 0;
            }, deadline);
        } catch (InterruptedException e) {
            op(StateOp.BREAK, 0, generation, 0);
            throw e;
        }
        long[] v = op(StateOp.GET_ALL, 0, 0, 0);
        if (!passed) {
            op(StateOp.BREAK, 0, generation, 0);
            throw new TimeoutException("the barrier " + name + " did not trip in time");
        }
        if (v[1] == generation || v[4] == generation) {
            throw new BrokenBarrierException();
        }
        return (int) arrival[0];
    }

    @Override
    public void reset() {
        op(StateOp.RESET, 0, 0, 0);
    }

    @Override
    public void abort() {
        op(StateOp.BREAK, 0, -1, 0);
    }

    @Override
    public int parties() {
        return parties;
    }

    @Override
    public int waiting() {
        return (int) Math.min(read(0), parties);
    }

    @Override
    public boolean isBroken() {
        return read(2) != 0;
    }
}
