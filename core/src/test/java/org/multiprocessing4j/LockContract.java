package org.multiprocessing4j;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a {@link ProcessLock} promises, after the JSR-166 TCK's {@code ReentrantLockTest}: the
 * {@link java.util.concurrent.locks.Lock} and {@link Condition} Javadoc to the letter, with the other
 * party a thread of another process where the TCK uses another thread (and threads of this process
 * where intra-JVM exclusion is the point). Run once per lock kind.
 */
public abstract class LockContract extends ProcessTestSupport {
    protected final Context ctx = context();
    protected ProcessLock lock;

    @TempDir
    Path dir;

    protected abstract ProcessLock newLock();

    /** Where the other parties run and the lock is made: the local context, or a cluster's. */
    protected Context context() {
        return Multiprocessing.local();
    }

    @BeforeEach
    void makeLock() {
        lock = newLock();
    }

    @AfterEach
    void closeLock() {
        lock.close();
    }

    /** A child that holds the lock until {@code release} exists; returns once it holds it. */
    ChildProcess holdInChild(Path release) {
        Path held = dir.resolve("held-" + System.nanoTime());
        ProcessLock l = lock;
        String heldName = held.toString();
        String releaseName = release.toString();
        ChildProcess child = ctx.process(() -> {
            l.lock();
            try {
                write(heldName, "held");
                awaitFile(Path.of(releaseName), Duration.ofSeconds(100));
            } finally {
                l.unlock();
            }
        }).start();
        awaitFile(held, Duration.ofSeconds(60));
        return child;
    }

    static void joinOk(ChildProcess child) {
        child.join();
        assertThat(child.exitCode()).as(child.toString()).hasValue(0);
    }

    @Test
    void lockThenUnlock() {
        lock.lock();
        assertThat(lock.isHeldByCurrentThread()).isTrue();
        assertThat(lock.getHoldCount()).isEqualTo(1);
        lock.unlock();
        assertThat(lock.isHeldByCurrentThread()).isFalse();
        assertThat(lock.getHoldCount()).isZero();
    }

    @Test
    void unlockWithoutHoldingIsIllegalMonitorState() {
        assertThatThrownBy(lock::unlock).isInstanceOf(IllegalMonitorStateException.class);
    }

    @Test
    void unlockByAnotherThreadOfTheOwnerProcessIsIllegalMonitorState() throws Exception {
        lock.lock();
        try {
            CompletableFuture<Throwable> other = CompletableFuture.supplyAsync(() -> {
                try {
                    lock.unlock();
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            assertThat(other.get(30, SECONDS)).isInstanceOf(IllegalMonitorStateException.class);
            assertThat(lock.isHeldByCurrentThread()).isTrue();
        } finally {
            lock.unlock();
        }
    }

    @Test
    void tryLockFailsWhileAnotherProcessHoldsItAndTimedTryLockSucceedsOnceItReleases() throws Exception {
        Path release = dir.resolve("release");
        ChildProcess holder = holdInChild(release);
        assertThat(lock.tryLock()).isFalse();
        assertThat(lock.tryLock(10, MILLISECONDS)).isFalse();
        assertThat(lock.tryLock(0, MILLISECONDS)).isFalse();
        Files.writeString(release, "go");
        assertThat(lock.tryLock(60, SECONDS)).isTrue();
        lock.unlock();
        joinOk(holder);
    }

    @Test
    void lockInterruptiblyBlockedByAnotherProcessThrowsWhenInterrupted() throws Exception {
        Path release = dir.resolve("release");
        ChildProcess holder = holdInChild(release);
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean threw = new AtomicBoolean();
        Thread t = Thread.ofPlatform().start(() -> {
            started.countDown();
            try {
                lock.lockInterruptibly();
                lock.unlock();
            } catch (InterruptedException e) {
                threw.set(true);
            }
        });
        started.await();
        t.interrupt();
        t.join(Duration.ofSeconds(30));
        assertThat(t.isAlive()).isFalse();
        assertThat(threw).isTrue();
        Files.writeString(release, "go");
        joinOk(holder);
    }

    @Test
    void lockInterruptiblyAndTimedTryLockThrowWhenInterruptedOnEntry() {
        Thread.currentThread().interrupt();
        assertThatThrownBy(lock::lockInterruptibly).isInstanceOf(InterruptedException.class);
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> lock.tryLock(1, SECONDS)).isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).isFalse();
        assertThat(lock.isHeldByCurrentThread()).isFalse();
    }

    @Test
    void lockBlocksUntilAnotherProcessUnlocks() throws Exception {
        Path release = dir.resolve("release");
        ChildProcess holder = holdInChild(release);
        CompletableFuture<Boolean> got = CompletableFuture.supplyAsync(() -> {
            lock.lock();
            try {
                return lock.isHeldByCurrentThread();
            } finally {
                lock.unlock();
            }
        });
        assertThat(got).isNotDone();
        Files.writeString(release, "go");
        assertThat(got.get(60, SECONDS)).isTrue();
        joinOk(holder);
    }

    @Test
    void threadsOfThisProcessExcludeEachOther() throws Exception {
        int threads = 4;
        int rounds = 20_000;
        int[] plain = new int[1]; // guarded by lock
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                done.add(pool.submit(() -> {
                    for (int r = 0; r < rounds; r++) {
                        lock.lock();
                        try {
                            plain[0]++;
                        } finally {
                            lock.unlock();
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(60, SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        lock.lock();
        try {
            assertThat(plain[0]).isEqualTo(threads * rounds);
        } finally {
            lock.unlock();
        }
    }

    @Test
    void manyThreadsTryingAndReleasingLeaveItFree() throws Exception {
        AtomicInteger got = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                done.add(pool.submit(() -> {
                    for (int r = 0; r < 10_000; r++) {
                        if (lock.tryLock()) {
                            got.incrementAndGet();
                            lock.unlock();
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(60, SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(got.get()).isPositive();
        assertThat(lock.tryLock()).isTrue();
        lock.unlock();
    }

    /**
     * Runs {@code task} on a thread of its own: a task blocked in the common pool would hold up
     * {@link Process#onExit()}, which completes there, and so every {@code join()} of a child.
     */
    private static <T> CompletableFuture<T> onOwnThread(java.util.function.Supplier<T> task) {
        return CompletableFuture.supplyAsync(task, r -> Thread.ofPlatform().daemon().start(r));
    }

    // --- the monitoring methods, after ReentrantLockTest's isLocked, hasQueuedThreads, getQueueLength, toString

    @Test
    void isLockedSeesAHolderInAnyProcess() throws Exception {
        assertThat(lock.isLocked()).isFalse();
        lock.lock();
        assertThat(lock.isLocked()).isTrue();
        lock.unlock();
        assertThat(lock.isLocked()).isFalse();
        Path release = dir.resolve("release");
        ChildProcess holder = holdInChild(release);
        assertThat(lock.isLocked()).isTrue();
        Files.writeString(release, "go");
        joinOk(holder);
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void toStringSaysLockedByWhomOrUnlocked() throws Exception {
        assertThat(lock.toString()).endsWith("[Unlocked]");
        lock.lock();
        try {
            assertThat(lock.toString()).endsWith("[Locked by thread " + (Thread.currentThread().threadId() & 0xffff_ffffL)
                    + " of pid " + ProcessHandle.current().pid() + "]");
        } finally {
            lock.unlock();
        }
        Path release = dir.resolve("release");
        ChildProcess holder = holdInChild(release);
        assertThat(lock.toString()).contains("Locked by thread").endsWith(" of pid " + holder.pid() + "]");
        Files.writeString(release, "go");
        joinOk(holder);
        assertThat(lock.toString()).endsWith("[Unlocked]");
    }

    @Test
    void theQueueCountsWaitersOfEveryProcessAndForgetsAKilledOne() throws Exception {
        assertThat(lock.hasQueuedThreads()).isFalse();
        assertThat(lock.getQueueLength()).isZero();
        Path release = dir.resolve("release");
        ChildProcess holder = holdInChild(release);
        CompletableFuture<Boolean> here = onOwnThread(() -> {
            lock.lock();
            lock.unlock();
            return true;
        });
        awaitCondition("a thread of this process queued", Duration.ofSeconds(60), () -> lock.getQueueLength() == 1);
        assertThat(lock.hasQueuedThreads()).isTrue();
        ProcessLock l = lock;
        ChildProcess waiter = ctx.process(() -> {
            l.lock();
            l.unlock();
        }).start();
        awaitCondition("a thread of another process queued", Duration.ofSeconds(60), () -> lock.getQueueLength() == 2);
        waiter.kill();
        waiter.join();
        awaitCondition("the killed waiter is no longer counted", Duration.ofSeconds(60),
                () -> lock.getQueueLength() == 1); // a manager's server sees its connection end
        assertThat(lock.hasQueuedThreads()).isTrue();
        Files.writeString(release, "go");
        assertThat(here.get(60, SECONDS)).isTrue();
        joinOk(holder);
        assertThat(lock.hasQueuedThreads()).isFalse();
        assertThat(lock.getQueueLength()).isZero();
    }
}
