package org.multiprocessing4j.hazelcast;

import java.io.Serializable;

/**
 * A proxy's way to its JVM's {@link ClusterNode}: proxies travel between processes by reference, so
 * the cluster's reference travels and the node is looked up once where the proxy arrives.
 * Thread-safe: two threads that race on the first lookup find the same node.
 */
final class NodeRef implements Serializable {
    private static final long serialVersionUID = 1L;

    final ClusterRef ref;
    private transient volatile ClusterNode node;

    NodeRef(ClusterNode node) {
        this.node = node;
        this.ref = node.ref;
    }

    ClusterNode get() {
        ClusterNode n = node;
        if (n == null) {
            n = ClusterNode.of(ref);
            node = n;
        }
        return n;
    }
}
