package org.multiprocessing4j;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.Condition;
import org.junit.jupiter.api.Test;

/**
 * The {@link LockContract} plus what the shared-memory locks add: {@link Condition}s across processes
 * (after the TCK's {@code ReentrantLockTest}) and a lock that a task captures being the same segment in
 * the child. A manager's lock has no conditions: it runs {@link LockContract} alone.
 */
public abstract class ShmLockContract extends LockContract {

    @Test
    void conditionAwaitAndSignalWithoutTheLockAreIllegalMonitorState() {
        Condition c = lock.newCondition();
        assertThatThrownBy(c::await).isInstanceOf(IllegalMonitorStateException.class);
        assertThatThrownBy(c::signal).isInstanceOf(IllegalMonitorStateException.class);
        assertThatThrownBy(c::signalAll).isInstanceOf(IllegalMonitorStateException.class);
        assertThatThrownBy(() -> c.awaitNanos(1)).isInstanceOf(IllegalMonitorStateException.class);
    }

    @Test
    void conditionTimedAwaitTimesOutAndHoldsTheLockAgain() throws Exception {
        Condition c = lock.newCondition();
        lock.lock();
        try {
            assertThat(c.awaitNanos(1_000_000)).isLessThanOrEqualTo(0);
            assertThat(c.await(1, MILLISECONDS)).isFalse();
            assertThat(lock.isHeldByCurrentThread()).isTrue();
        } finally {
            lock.unlock();
        }
    }

    @Test
    void conditionAwaitInterruptedThrowsHoldingTheLock() throws Exception {
        Condition c = lock.newCondition();
        CountDownLatch waiting = new CountDownLatch(1);
        CompletableFuture<String> outcome = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().start(() -> {
            lock.lock();
            try {
                waiting.countDown();
                c.await();
                outcome.complete("returned");
            } catch (InterruptedException e) {
                outcome.complete("interrupted, holding " + lock.isHeldByCurrentThread());
            } finally {
                lock.unlock();
            }
        });
        waiting.await();
        lock.lock(); // the waiter has released it: it is inside await
        lock.unlock();
        t.interrupt();
        assertThat(outcome.get(30, SECONDS)).isEqualTo("interrupted, holding true");
        t.join(); // it unlocks before the lock is closed
    }

    @Test
    void signalAllWakesWaitersOfSeveralProcesses() throws Exception {
        int children = 2;
        Condition c = lock.newCondition();
        ProcessLock l = lock;
        try (ProcessSemaphore waiting = ctx.semaphore(0); ProcessEvent go = ctx.event()) {
            List<ChildProcess> waiters = new ArrayList<>();
            for (int i = 0; i < children; i++) {
                waiters.add(ctx.process(() -> {
                    l.lock();
                    try {
                        waiting.release();
                        while (!go.isSet()) {
                            c.awaitUninterruptibly();
                        }
                    } finally {
                        l.unlock();
                    }
                }).start());
            }
            for (int i = 0; i < children; i++) {
                assertThat(waiting.tryAcquire(Duration.ofSeconds(60))).isTrue();
            }
            lock.lock();
            try {
                go.set();
                c.signalAll();
            } finally {
                lock.unlock();
            }
            for (ChildProcess w : waiters) {
                joinOk(w);
            }
        }
    }

    @Test
    void aLockCapturedByATaskIsTheSameLockInTheChild() {
        Path seen = dir.resolve("seen");
        ProcessLock l = lock;
        String seenName = seen.toString();
        lock.lock();
        try {
            ChildProcess child = ctx.process(() -> write(seenName, l.name() + " " + l.tryLock() + " "
                    + ((org.multiprocessing4j.internal.sync.ShmLock) l).ownerPid())).start();
            joinOk(child);
        } finally {
            lock.unlock();
        }
        assertThat(read(seen)).isEqualTo(lock.name() + " false " + ProcessHandle.current().pid());
    }
}
