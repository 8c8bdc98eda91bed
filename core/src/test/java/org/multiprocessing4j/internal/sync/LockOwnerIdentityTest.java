package org.multiprocessing4j.internal.sync;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.internal.proc.ProcessIds;
import org.multiprocessing4j.internal.shm.Segment;

/**
 * A lock's owner is known by pid and start time: a lock word whose pid now belongs to another process
 * (the owner died and its pid was reused) is recovered, and one whose owner still runs is not.
 */
class LockOwnerIdentityTest {
    private static final long OTHER = ProcessHandle.current().parent().orElseThrow().pid(); // alive, not us

    @Test
    void aLockHeldUnderAReusedPidIsRecovered() {
        try (ShmLock lock = ShmLock.create(); Segment view = Segment.open(lock.name(), -1)) {
            long identity = ProcessIds.identityOf(OTHER);
            hold(view.payload(), OTHER, ProcessIds.compose(OTHER, (identity >>> 32) + 1)); // another start time

            assertThat(lock.tryLock()).isTrue();
            assertThat(lock.isRecovered()).isTrue();
            assertThat(view.payload().get(JAVA_LONG, LockLayout.WORD_OFFSET + RobustMutex.IDENTITY))
                    .isEqualTo(ProcessIds.self());
            lock.unlock();
            assertThat(view.payload().get(JAVA_LONG, LockLayout.WORD_OFFSET + RobustMutex.IDENTITY)).isZero();
        }
    }

    @Test
    void aLockHeldByALiveProcessIsNotRecovered() {
        try (ShmLock lock = ShmLock.create(); Segment view = Segment.open(lock.name(), -1)) {
            hold(view.payload(), OTHER, ProcessIds.identityOf(OTHER));

            assertThat(lock.tryLock()).isFalse();
            view.payload().set(JAVA_LONG, LockLayout.WORD_OFFSET, 0L);
        }
    }

    private static void hold(MemorySegment payload, long pid, long identity) {
        payload.set(JAVA_LONG, LockLayout.WORD_OFFSET, (77L << 32) | pid);
        payload.set(JAVA_LONG, LockLayout.WORD_OFFSET + RobustMutex.IDENTITY, identity);
    }
}
