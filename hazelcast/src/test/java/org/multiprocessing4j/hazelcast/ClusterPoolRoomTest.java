package org.multiprocessing4j.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** How many tasks a member may have under way ({@link ClusterPool#room}), from its tasks' measured time. */
class ClusterPoolRoomTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void aMemberWhoseTasksAreNotKnownGetsItsShareOnly() {
        assertThat(ClusterPool.room(1, 0)).isEqualTo(1);
        assertThat(ClusterPool.room(4, 0)).isEqualTo(4);
    }

    @Test
    void longTasksGetTheShareOnlySoNoneWaitsBehindAnother() {
        assertThat(ClusterPool.room(2, ClusterPool.batchNanos())).isEqualTo(2);
        assertThat(ClusterPool.room(2, 1_000.0 * MS)).isEqualTo(2);
    }

    @Test
    void shortTasksGetAsManyAsFillTheBatchTimeUpToTheCap() {
        assertThat(ClusterPool.room(1, ClusterPool.batchNanos() / 10.0)).isEqualTo(10);
        assertThat(ClusterPool.room(3, ClusterPool.batchNanos() / 10.0)).isEqualTo(30);
        assertThat(ClusterPool.room(2, 1)).isEqualTo(2 * ClusterPool.MAX_TASKS_PER_WORKER);
    }

    @Test
    void aCallsTimeIsSharedByTheTasksEachWorkerRan() {
        // 10 tasks on 2 workers in 10 ms: each worker ran 5, 2 ms each.
        assertThat(ClusterPool.taskNanos(10 * MS, 10, 2)).isEqualTo(2.0 * MS);
        // One task on 4 workers: it alone took the whole call.
        assertThat(ClusterPool.taskNanos(10 * MS, 1, 4)).isEqualTo(10.0 * MS);
    }
}
