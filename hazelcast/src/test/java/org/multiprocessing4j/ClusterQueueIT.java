package org.multiprocessing4j;

import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.multiprocessing4j.hazelcast.ClusterMembers;

/** The {@link QueueContract} (core's test-jar) unchanged on the cluster's queue: an {@code IQueue} of frames, 3 real members. */
class ClusterQueueIT extends QueueContract {
    private static ClusterMembers cluster;
    private static Context ctx;

    @BeforeAll
    static void startMembers() throws Exception {
        cluster = new ClusterMembers(3, 1);
        ctx = cluster.driver();
    }

    @AfterAll
    static void stopMembers() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    protected BlockingQueue<Integer> bounded(int capacity) {
        return track(ctx.queue(capacity));
    }

    @Override
    protected BlockingQueue<Integer> unbounded() {
        return track(ctx.queue());
    }
}
