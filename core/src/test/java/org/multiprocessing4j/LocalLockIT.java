package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@link LockContract} for {@code ctx.lock()}: not reentrant. */
class LocalLockIT extends ShmLockContract {
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
}
