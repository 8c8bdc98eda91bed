package org.multiprocessing4j;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.hazelcast.ClusterMembers;

/** The {@link PoolBuilderContract} (core's test-jar) on the cluster backend: one real member. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class ClusterPoolBuilderIT extends PoolBuilderContract {
    private ClusterMembers cluster;
    private Context ctx;

    @Override
    protected synchronized Context context() {
        if (ctx == null) {
            try {
                cluster = new ClusterMembers(1, 1);
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
}
