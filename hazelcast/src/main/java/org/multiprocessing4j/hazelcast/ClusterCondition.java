package org.multiprocessing4j.hazelcast;

import java.io.Serializable;
import java.util.Date;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

/** A {@link Condition} of a {@link ClusterLock}: tickets in a state entry ({@link StateOp#COND_WAIT} …). */
final class ClusterCondition implements Condition, Serializable {
    private static final long serialVersionUID = 1L;
    private final ClusterLock lock;
    private final NodeRef nodeRef;
    private final String name;

    ClusterCondition(ClusterLock lock, ClusterNode node, String name) {
        this.lock = lock;
        this.nodeRef = new NodeRef(node);
        this.name = name;
        node.create(name, new long[] {1});
    }

    private ClusterNode node() {
        return nodeRef.get();
    }

    private void requireHeld() {
        if (!lock.isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException("the current thread does not hold the lock " + lock.name());
        }
    }

    private boolean signalled(long ticket) {
        for (long t : node().op(name, StateOp.GET_ALL, 0, 0, 0)) {
            if (t == -ticket) {
                return true;
            }
        }
        return false;
    }

    /** Waits for a signal until {@code deadline}; whether one came. The lock is held again on return. */
    private boolean await(long deadline, boolean interruptible) throws InterruptedException {
        requireHeld();
        if (interruptible && Thread.interrupted()) {
            throw new InterruptedException();
        }
        long ticket = node().op(name, StateOp.COND_WAIT, 0, 0, 0)[0];
        int holds = lock.releaseAll();
        boolean interrupted = false;
        boolean uninterruptedWait = false; // an interrupt during awaitUninterruptibly: set again on return
        boolean got;
        try {
            ClusterNode.Changes changes = node().changes(name);
            while (true) {
                long seen = changes.version();
                if (signalled(ticket)) {
                    break;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                if (interruptible && Thread.interrupted()) {
                    interrupted = true;
                    break;
                }
                try {
                    changes.await(seen, left);
                } catch (InterruptedException e) {
                    if (interruptible) {
                        interrupted = true;
                        break;
                    }
                    uninterruptedWait = true;
                }
            }
        } finally {
            got = node().op(name, StateOp.COND_CONSUME, 0, ticket, 0)[0] == 1;
            lock.reacquire(holds);
        }
        if (uninterruptedWait) {
            Thread.currentThread().interrupt();
        }
        if (interrupted) {
            Thread.interrupted();
            if (got) {
                signal0(1); // a signal this waiter will not act on goes to another
            }
            throw new InterruptedException();
        }
        return got;
    }

    @Override
    public void await() throws InterruptedException {
        await(Long.MAX_VALUE / 2 + System.nanoTime(), true);
    }

    @Override
    public void awaitUninterruptibly() {
        try {
            await(Long.MAX_VALUE / 2 + System.nanoTime(), false);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public long awaitNanos(long nanosTimeout) throws InterruptedException {
        long deadline = System.nanoTime() + Math.min(nanosTimeout, Long.MAX_VALUE / 2);
        await(deadline, true);
        return deadline - System.nanoTime();
    }

    @Override
    public boolean await(long time, TimeUnit unit) throws InterruptedException {
        return await(System.nanoTime() + Math.min(unit.toNanos(time), Long.MAX_VALUE / 2), true);
    }

    @Override
    public boolean awaitUntil(Date deadline) throws InterruptedException {
        Objects.requireNonNull(deadline, "deadline");
        long millis = deadline.getTime() - System.currentTimeMillis();
        return await(millis, TimeUnit.MILLISECONDS);
    }

    private void signal0(int n) {
        node().op(name, StateOp.COND_SIGNAL, 0, n, 0);
    }

    @Override
    public void signal() {
        requireHeld();
        signal0(1);
    }

    @Override
    public void signalAll() {
        requireHeld();
        signal0(-1);
    }
}
