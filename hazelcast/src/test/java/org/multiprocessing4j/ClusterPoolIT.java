package org.multiprocessing4j;

import org.junit.jupiter.api.AfterAll;
import org.multiprocessing4j.hazelcast.ClusterMembers;

/** The {@link PoolContract} (core's test-jar) unchanged on a cluster pool: workers in child JVMs of 3 real members. */
class ClusterPoolIT extends PoolContract {
    private static ClusterMembers cluster;
    private static Context ctx;

    /** Started on first use: the contract makes its shared pool in its own {@code @BeforeAll}, which runs first. */
    private static synchronized Context ctx() {
        if (ctx == null) {
            try {
                cluster = new ClusterMembers(3, 2);
                ctx = cluster.driver();
            } catch (Exception e) {
                throw new IllegalStateException("the test cluster did not start", e);
            }
        }
        return ctx;
    }

    @AfterAll
    void stopMembers() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    protected ProcessPool newPool(int processes) {
        return ctx().pool(processes);
    }
}
