package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import org.junit.jupiter.api.Test;

/** {@link LockContract} for {@code ctx.rlock()}: reentrant, with a hold count. */
class LocalRLockIT extends ShmLockContract {
    @Override
    protected ProcessLock newLock() {
        return ctx.rlock();
    }

    @Test
    void theOwnerLocksAgainAndUnlocksAsOftenAsItLocked() throws Exception {
        assertThat(lock.isReentrant()).isTrue();
        lock.lock();
        lock.lockInterruptibly();
        assertThat(lock.tryLock()).isTrue();
        assertThat(lock.tryLock(1, TimeUnit.SECONDS)).isTrue();
        assertThat(lock.getHoldCount()).isEqualTo(4);
        for (int i = 3; i >= 0; i--) {
            lock.unlock();
            assertThat(lock.getHoldCount()).isEqualTo(i);
        }
        assertThatThrownBy(lock::unlock).isInstanceOf(IllegalMonitorStateException.class);
        assertThat(CompletableFuture.supplyAsync(() -> {
            boolean got = lock.tryLock();
            if (got) {
                lock.unlock();
            }
            return got;
        }).get(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aConditionWaitReleasesEveryHoldAndRestoresThem() throws Exception {
        Condition c = lock.newCondition();
        lock.lock();
        lock.lock();
        try {
            CompletableFuture<Boolean> other = CompletableFuture.supplyAsync(() -> {
                lock.lock(); // possible only if the waiter released both holds
                try {
                    c.signal();
                    return true;
                } finally {
                    lock.unlock();
                }
            });
            while (!other.isDone()) {
                c.await(10, TimeUnit.MILLISECONDS);
            }
            assertThat(other.get()).isTrue();
            assertThat(lock.getHoldCount()).isEqualTo(2);
        } finally {
            lock.unlock();
            lock.unlock();
        }
    }
}
