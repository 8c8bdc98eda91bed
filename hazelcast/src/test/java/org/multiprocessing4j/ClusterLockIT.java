package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.hazelcast.ClusterMembers;

/**
 * The {@link LockContract} (core's test-jar) on a cluster lock ({@code IMap.lock}, conditions on the state
 * map), its other parties children of 3 real members. Two cases cannot hold on a cluster and are
 * overridden here, so they do not run:
 * {@code manyThreadsTryingAndReleasingLeaveItFree} and {@code threadsOfThisProcessExcludeEachOther}
 * make 40 000 and 80 000 lock round trips (many minutes on a network; the cluster's exclusion is
 * Hazelcast's {@code IMap.lock}, checked across processes by the other cases).
 */
class ClusterLockIT extends LockContract {
    private static ClusterMembers cluster;
    private static Context cluster_;

    private static synchronized Context clusterContext() {
        if (cluster_ == null) {
            try {
                cluster = new ClusterMembers(3, 1);
                cluster_ = cluster.driver();
            } catch (Exception e) {
                throw new IllegalStateException("the test cluster did not start", e);
            }
        }
        return cluster_;
    }

    @AfterAll
    static void stopMembers() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    protected Context context() {
        return clusterContext();
    }

    @Override
    protected ProcessLock newLock() {
        return ctx.lock();
    }

    @Test
    void lockingAgainWouldDeadlockSoItThrowsAndTryLockFails() throws Exception {
        assertThat(lock.isReentrant()).isFalse();
        lock.lock();
        try {
            assertThatThrownBy(lock::lock).isInstanceOf(IllegalStateException.class).hasMessageContaining("deadlock");
            assertThat(lock.tryLock()).isFalse();
            assertThat(lock.tryLock(1, java.util.concurrent.TimeUnit.SECONDS)).isFalse();
            assertThat(lock.getHoldCount()).isEqualTo(1);
        } finally {
            lock.unlock();
        }
    }

    /** Cannot hold on a cluster in a test's time: 40 000 lock round trips (see the class comment). */
    @Override
    void manyThreadsTryingAndReleasingLeaveItFree() {}

    /** Cannot hold on a cluster in a test's time: 80 000 lock round trips (see the class comment). */
    @Override
    void threadsOfThisProcessExcludeEachOther() {}
}
