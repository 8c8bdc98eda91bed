package org.multiprocessing4j.hazelcast;

import java.io.Serializable;

/** A shared object whose state is one {@code long[]} entry of the state map; serializable by reference. */
abstract class StateObject implements Serializable {
    private static final long serialVersionUID = 1L;

    final NodeRef nodeRef;
    final String name;
    private transient volatile boolean closed;

    StateObject(ClusterNode node, String kind, long[] initial) {
        this.nodeRef = new NodeRef(node);
        this.name = ClusterNode.newName(kind);
        node.create(name, initial);
    }

    final ClusterNode node() {
        if (closed) {
            throw new IllegalStateException(name + " was closed in this process");
        }
        return nodeRef.get();
    }

    final long[] op(int op, int index, long a, long b) {
        return node().op(name, op, index, a, b);
    }

    final long read(int index) {
        return op(StateOp.GET, index, 0, 0)[0];
    }

    /** Waits until {@code ready} holds (checked after every change), or the deadline passes; whether it held. */
    final boolean awaitUntil(java.util.function.BooleanSupplier ready, long deadlineNanos) throws InterruptedException {
        ClusterNode.Changes changes = node().changes(name);
        while (true) {
            long seen = changes.version();
            if (ready.getAsBoolean()) {
                return true;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            changes.await(seen, left);
        }
    }

    static long deadline(java.time.Duration timeout) {
        long nanos;
        try {
            nanos = timeout.toNanos();
        } catch (ArithmeticException e) {
            nanos = Long.MAX_VALUE / 2;
        }
        return System.nanoTime() + Math.min(nanos, Long.MAX_VALUE / 2);
    }

    public String name() {
        return name;
    }

    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + "]";
    }
}
