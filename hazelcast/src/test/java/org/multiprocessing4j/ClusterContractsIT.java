package org.multiprocessing4j;

import java.util.List;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.hazelcast.ClusterMembers;

/** The map and list contracts (core's test-jar) on the cluster manager's dict ({@code IMap}) and list ({@code IList}). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterContractsIT {
    private static ClusterMembers cluster;
    private static Manager manager;

    @BeforeAll
    static void startMembers() throws Exception {
        cluster = new ClusterMembers(3, 1);
        manager = cluster.driver().manager();
    }

    @AfterAll
    static void stopMembers() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Nested
    class OnAClusterDict extends ConcurrentMapContract {
        @Override
        protected ConcurrentMap<String, Integer> newMap() {
            return manager.dict();
        }
    }

    @Nested
    class OnAClusterList extends ListContract {
        @Override
        protected List<String> newList() {
            return manager.list();
        }
    }
}
