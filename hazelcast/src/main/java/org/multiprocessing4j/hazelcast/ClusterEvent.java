package org.multiprocessing4j.hazelcast;

import java.time.Duration;
import org.multiprocessing4j.ProcessEvent;

/** An event on the cluster: a flag in the state map; waiters wake on the entry's change events. */
final class ClusterEvent extends StateObject implements ProcessEvent {
    private static final long serialVersionUID = 1L;

    ClusterEvent(ClusterNode node) {
        super(node, "event", new long[] {0});
    }

    @Override
    public void set() {
        op(StateOp.SET, 0, 1, 0);
    }

    @Override
    public void clear() {
        op(StateOp.SET, 0, 0, 0);
    }

    @Override
    public boolean isSet() {
        return read(0) != 0;
    }

    @Override
    public void await() throws InterruptedException {
        awaitUntil(this::isSet, Long.MAX_VALUE / 2 + System.nanoTime());
    }

    @Override
    public boolean await(Duration timeout) throws InterruptedException {
        return awaitUntil(this::isSet, deadline(timeout));
    }
}
