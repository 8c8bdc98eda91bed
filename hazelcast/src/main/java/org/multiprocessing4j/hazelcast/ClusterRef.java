package org.multiprocessing4j.hazelcast;

import java.io.Serializable;
import java.util.List;

/**
 * Which cluster a serialized proxy belongs to: its name and the members to reach it by, never its key.
 * In another process the proxy finds the cluster through {@link ClusterNode#of(ClusterRef)}.
 */
record ClusterRef(String clusterName, List<String> members) implements Serializable {
    ClusterRef {
        members = List.copyOf(members);
    }
}
