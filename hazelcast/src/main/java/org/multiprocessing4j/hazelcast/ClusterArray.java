package org.multiprocessing4j.hazelcast;

import org.multiprocessing4j.ProcessLock;

/** Shared arrays on the cluster: one {@code long[]} state entry, each element update an entry processor. */
abstract class ClusterArray extends StateObject {
    private static final long serialVersionUID = 1L;
    final int length;

    ClusterArray(ClusterNode node, String kind, int length) {
        super(node, kind, new long[check(length)]);
        this.length = length;
    }

    private static int check(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be ≥ 0, was " + length);
        }
        return length;
    }

    final int index(int i) {
        if (i < 0 || i >= length) {
            throw new IndexOutOfBoundsException("index " + i + " out of bounds for length " + length);
        }
        return i;
    }

    final long at(int i) {
        return op(StateOp.GET, index(i), 0, 0)[0];
    }

    final long swap(int i, long v) {
        return op(StateOp.SET, index(i), v, 0)[0];
    }

    final boolean cas(int i, long expected, long v) {
        return op(StateOp.CAS, index(i), expected, v)[0] == 1;
    }

    final long[] all() {
        return op(StateOp.GET_ALL, 0, 0, 0);
    }

    public int length() {
        return length;
    }

    public ProcessLock lock() {
        return new ClusterLock(node(), name + ".lock", true);
    }
}
