package org.multiprocessing4j.hazelcast;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.HazelcastInstance;
import org.multiprocessing4j.ClusterConfig;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.spi.ClusterBackend;

/**
 * The cluster backend {@link org.multiprocessing4j.Multiprocessing#cluster(ClusterConfig)} finds: connects
 * to the members as a Hazelcast client (it holds no data). {@link #wrap} makes a context of a Hazelcast
 * instance the application already runs.
 */
public final class HazelcastBackend implements ClusterBackend {

    @Override
    public Context connect(ClusterConfig config) {
        HazelcastInstance client = HazelcastClient.newHazelcastClient(
                HazelcastConfigs.client(config.clusterName(), config.members()));
        ClusterNode node = new ClusterNode(client, new ClusterRef(config.clusterName(), config.members()), config.authkey());
        return new ClusterContext(node, true);
    }

    /**
     * A context over {@code instance}, a member or client of an mp4j cluster configured by this module
     * (its serialization factory is needed); closing the context leaves the instance running.
     */
    public static ClusterContext wrap(HazelcastInstance instance, ClusterConfig config) {
        return new ClusterContext(new ClusterNode(instance, new ClusterRef(config.clusterName(), config.members()),
                config.authkey()), false);
    }
}
