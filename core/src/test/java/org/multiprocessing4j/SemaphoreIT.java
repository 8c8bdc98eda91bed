package org.multiprocessing4j;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.multiprocessing4j.internal.sync.ShmSemaphore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Semaphores across processes, after the JSR-166 TCK's {@code SemaphoreTest}, and Python's bounded one. */
class SemaphoreIT extends ProcessTestSupport {
    private final Context ctx = Multiprocessing.local();

    @TempDir
    Path dir;

    @Test
    void acquireAndReleaseCountPermits() throws Exception {
        try (ProcessSemaphore s = ctx.semaphore(2)) {
            assertThat(s.availablePermits()).isEqualTo(2);
            s.acquire();
            assertThat(s.tryAcquire()).isTrue();
            assertThat(s.availablePermits()).isZero();
            assertThat(s.tryAcquire()).isFalse();
            assertThat(s.tryAcquire(Duration.ofMillis(10))).isFalse();
            assertThat(s.tryAcquire(Duration.ZERO)).isFalse();
            s.release();
            s.release();
            s.release(); // unbounded: past the initial count is fine
            assertThat(s.availablePermits()).isEqualTo(3);
            assertThat(s.isBounded()).isFalse();
        }
    }

    @Test
    void negativePermitsAreRejected() {
        assertThatThrownBy(() -> ctx.semaphore(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> ctx.boundedSemaphore(-3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBoundedSemaphoreReleasedPastItsInitialCountThrows() throws Exception {
        try (ProcessSemaphore s = ctx.boundedSemaphore(1)) {
            assertThat(s.isBounded()).isTrue();
            assertThatThrownBy(s::release).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("released too many times");
            s.acquire();
            s.release();
            assertThatThrownBy(s::release).isInstanceOf(IllegalStateException.class);
            assertThat(s.availablePermits()).isEqualTo(1);
            // the same check in another process
            Path seen = dir.resolve("seen");
            String seenName = seen.toString();
            ChildProcess child = ctx.process(() -> {
                try {
                    s.release();
                    write(seenName, "released");
                } catch (IllegalStateException e) {
                    write(seenName, "ISE " + s.availablePermits());
                }
            }).start();
            child.join();
            assertThat(read(seen)).isEqualTo("ISE 1");
        }
    }

    @Test
    void aReleaseInAnotherProcessWakesABlockedAcquirer() throws Exception {
        try (ProcessSemaphore s = ctx.semaphore(0); ProcessSemaphore back = ctx.semaphore(0)) {
            ChildProcess child = ctx.process(() -> {
                s.release();
                try {
                    back.acquire(); // blocks until the parent releases
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                s.release();
            }).start();
            s.acquire();
            back.release();
            assertThat(s.tryAcquire(Duration.ofSeconds(60))).isTrue();
            child.join();
            assertThat(child.exitCode()).hasValue(0);
            assertThat(s.availablePermits()).isZero();
        }
    }

    @Test
    void atMostNProcessesAreInsideAtOnce() throws Exception {
        int permits = 2;
        int children = 4;
        try (ProcessSemaphore s = ctx.semaphore(permits); SharedMemory inside = ctx.sharedMemory(
                "semit-inside-" + ProcessHandle.current().pid(), 16)) {
            java.util.List<ChildProcess> all = new java.util.ArrayList<>();
            for (int i = 0; i < children; i++) {
                all.add(ctx.process(() -> {
                    var counter = java.lang.foreign.ValueLayout.JAVA_INT.varHandle();
                    for (int r = 0; r < 200; r++) {
                        try {
                            s.acquire();
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                        try {
                            int now = (int) counter.getAndAdd(inside.segment(), 0L, 1) + 1;
                            int max = (int) counter.getVolatile(inside.segment(), 4L);
                            while (now > max && !counter.compareAndSet(inside.segment(), 4L, max, now)) {
                                max = (int) counter.getVolatile(inside.segment(), 4L);
                            }
                            Thread.onSpinWait();
                        } finally {
                            counter.getAndAdd(inside.segment(), 0L, -1);
                            s.release();
                        }
                    }
                }).start());
            }
            for (ChildProcess c : all) {
                c.join();
                assertThat(c.exitCode()).as(c.toString()).hasValue(0);
            }
            int max = inside.segment().get(java.lang.foreign.ValueLayout.JAVA_INT, 4);
            assertThat(max).isBetween(1, permits);
            assertThat(s.availablePermits()).isEqualTo(permits);
        }
    }

    @Test
    void acquireBlockedIsInterruptible() throws Exception {
        try (ProcessSemaphore s = ctx.semaphore(0)) {
            CountDownLatch started = new CountDownLatch(1);
            AtomicBoolean threw = new AtomicBoolean();
            Thread t = Thread.ofPlatform().start(() -> {
                started.countDown();
                try {
                    s.acquire();
                } catch (InterruptedException e) {
                    threw.set(true);
                }
            });
            started.await();
            t.interrupt();
            t.join(Duration.ofSeconds(30));
            assertThat(threw).isTrue();
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> s.tryAcquire(Duration.ofSeconds(1))).isInstanceOf(InterruptedException.class);
            assertThat(s.availablePermits()).isZero();
        }
    }

    @Test
    void aTimedAcquireSucceedsWhenAThreadReleases() throws Exception {
        try (ProcessSemaphore s = ctx.semaphore(0)) {
            CompletableFuture<Boolean> got = CompletableFuture.supplyAsync(() -> {
                try {
                    return s.tryAcquire(Duration.ofSeconds(60));
                } catch (InterruptedException e) {
                    return false;
                }
            });
            s.release();
            assertThat(got.get(60, SECONDS)).isTrue();
        }
    }

    /**
     * Runs {@code task} on a thread of its own: a task blocked in the common pool would hold up
     * {@link Process#onExit()}, which completes there, and so every {@code join()} of a child.
     */
    private static <T> CompletableFuture<T> onOwnThread(java.util.function.Supplier<T> task) {
        return CompletableFuture.supplyAsync(task, r -> Thread.ofPlatform().daemon().start(r));
    }

    // --- after the TCK's SemaphoreTest: several permits at once, drain, uninterruptible acquire

    @Test
    void severalPermitsAreTakenAndGivenBackAtOnce() throws Exception {
        try (ProcessSemaphore s = ctx.semaphore(3)) {
            s.acquire(2);
            assertThat(s.availablePermits()).isEqualTo(1);
            assertThat(s.tryAcquire(2)).isFalse();
            assertThat(s.tryAcquire(2, Duration.ofMillis(10))).isFalse();
            assertThat(s.availablePermits()).isEqualTo(1);
            assertThat(s.tryAcquire(1)).isTrue();
            s.release(3);
            assertThat(s.tryAcquire(3, Duration.ZERO)).isTrue();
            s.release(2);
            s.acquire(0);
            assertThat(s.tryAcquire(0)).isTrue();
            assertThat(s.availablePermits()).isEqualTo(2);
            s.acquireUninterruptibly(2);
            assertThat(s.availablePermits()).isZero();
            s.release(2);
            s.acquireUninterruptibly();
            assertThat(s.availablePermits()).isEqualTo(1);
        }
    }

    @Test
    void negativeCountsAreIllegalArguments() {
        try (ProcessSemaphore s = ctx.semaphore(1)) {
            assertThatThrownBy(() -> s.acquire(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
            assertThatThrownBy(() -> s.acquireUninterruptibly(-1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> s.tryAcquire(-1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> s.tryAcquire(-1, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> s.release(-1)).isInstanceOf(IllegalArgumentException.class);
            assertThat(s.availablePermits()).isEqualTo(1);
        }
    }

    @Test
    void drainPermitsTakesWhatIsAvailable() throws Exception {
        try (ProcessSemaphore s = ctx.semaphore(5)) {
            s.acquire(2);
            assertThat(s.drainPermits()).isEqualTo(3);
            assertThat(s.availablePermits()).isZero();
            assertThat(s.drainPermits()).isZero();
            s.release(5);
            assertThat(s.availablePermits()).isEqualTo(5);
        }
    }

    @Test
    void aBoundedSemaphoreRefusesSeveralPermitsPastItsBoundAndKeepsItsCount() throws Exception {
        try (ProcessSemaphore s = ctx.boundedSemaphore(3)) {
            s.acquire(2);
            assertThatThrownBy(() -> s.release(3)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("released too many times");
            assertThat(s.availablePermits()).isEqualTo(1);
            s.release(2);
            assertThat(s.availablePermits()).isEqualTo(3);
        }
    }

    @Test
    void acquireOfSeveralWaitsUntilAnotherProcessHasReleasedThemAll() throws Exception {
        try (ProcessSemaphore s = ctx.semaphore(0)) {
            CompletableFuture<Boolean> got = onOwnThread(() -> {
                try {
                    s.acquire(3);
                    return true;
                } catch (InterruptedException e) {
                    return false;
                }
            });
            ChildProcess two = ctx.process(() -> {
                s.release();
                s.release();
            }).start();
            two.join();
            assertThat(two.exitCode()).hasValue(0);
            assertThat(s.availablePermits()).as("the waiter takes no permit until it can take three").isEqualTo(2);
            assertThat(got).isNotDone();
            ctx.process(s::release).start().join();
            assertThat(got.get(60, SECONDS)).isTrue();
            assertThat(s.availablePermits()).isZero();
        }
    }

    @Test
    void aTimedAcquireOfSeveralIsInterruptibleAndTakesNothing() throws Exception {
        try (ProcessSemaphore s = ctx.semaphore(1)) {
            CountDownLatch started = new CountDownLatch(1);
            CompletableFuture<String> outcome = new CompletableFuture<>();
            Thread t = Thread.ofPlatform().start(() -> {
                started.countDown();
                try {
                    outcome.complete("returned " + s.tryAcquire(2, Duration.ofSeconds(100)));
                } catch (InterruptedException e) {
                    outcome.complete("interrupted");
                }
            });
            started.await();
            t.interrupt();
            assertThat(outcome.get(30, SECONDS)).isEqualTo("interrupted");
            assertThat(s.availablePermits()).isEqualTo(1);
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> s.acquire(1)).isInstanceOf(InterruptedException.class);
            assertThat(s.availablePermits()).isEqualTo(1);
        }
    }

    @Test
    void acquireUninterruptiblyIgnoresAnInterruptAndKeepsIt() throws Exception {
        try (ProcessSemaphore s = ctx.semaphore(0)) {
            CountDownLatch interrupted = new CountDownLatch(1);
            CompletableFuture<Boolean> stillInterrupted = new CompletableFuture<>();
            Thread t = Thread.ofPlatform().start(() -> {
                Thread.currentThread().interrupt();
                interrupted.countDown();
                s.acquireUninterruptibly(2);
                stillInterrupted.complete(Thread.currentThread().isInterrupted());
            });
            interrupted.await();
            t.interrupt();
            ctx.process(() -> s.release(2)).start().join();
            assertThat(stillInterrupted.get(60, SECONDS)).isTrue();
            assertThat(s.availablePermits()).isZero();
        }
    }

    @Test
    void toStringShowsThePermits() throws Exception {
        try (ProcessSemaphore s = ctx.semaphore(2)) {
            assertThat(s.toString()).contains("permits = 2");
            s.acquire();
            assertThat(s.toString()).contains("permits = 1");
        }
    }

    // --- a holder killed with kill -9

    /** A child that takes {@code permits} and, once it holds them, waits to be killed. */
    private ChildProcess holder(ProcessSemaphore s, int permits, ProcessEvent holding) {
        ChildProcess child = ctx.process(() -> {
            s.acquireUninterruptibly(permits);
            holding.set();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }).start();
        try {
            assertThat(holding.await(Duration.ofSeconds(60))).as("the child holds its permits").isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return child;
    }

    @Test
    void theBlockedAcquirerGetsThePermitsOfAHolderKilledWithSigkill() throws Exception {
        try (ProcessSemaphore s = ctx.semaphore(2); ProcessEvent holding = ctx.event()) {
            ChildProcess child = holder(s, 2, holding);
            assertThat(s.availablePermits()).isZero();
            CompletableFuture<Boolean> got = onOwnThread(() -> {
                try {
                    s.acquire(2);
                    return true;
                } catch (InterruptedException e) {
                    return false;
                }
            });
            child.kill();
            child.join();
            assertThat(child.exitCode()).hasValue(-9);
            assertThat(got.get(60, SECONDS)).isTrue();
            assertThat(s.availablePermits()).isZero();
            s.release(2);
            assertThat(s.availablePermits()).isEqualTo(2);
        }
    }

    @Test
    void onlyTheKilledHoldersPermitsComeBackNotThoseOfLiveHolders() throws Exception {
        try (ProcessSemaphore s = ctx.semaphore(3); ProcessEvent holdingA = ctx.event(); ProcessEvent holdingB = ctx.event()) {
            ChildProcess a = holder(s, 2, holdingA);
            ChildProcess b = holder(s, 1, holdingB);
            a.kill();
            a.join();
            ((ShmSemaphore) s).reclaimDeadHolders();
            assertThat(s.availablePermits()).isEqualTo(2);
            b.kill();
            b.join();
            ((ShmSemaphore) s).reclaimDeadHolders();
            assertThat(s.availablePermits()).isEqualTo(3);
            ((ShmSemaphore) s).reclaimDeadHolders();
            assertThat(s.availablePermits()).as("given back once").isEqualTo(3);
        }
    }

    @Test
    void permitsReleasedThenTakenAndReleasedAgainByTheKilledProcessAreNotGivenBackTwice() throws Exception {
        try (ProcessSemaphore s = ctx.semaphore(2); ProcessEvent done = ctx.event()) {
            ChildProcess child = ctx.process(() -> {
                for (int i = 0; i < 1000; i++) {
                    s.acquireUninterruptibly(2);
                    s.release();
                    s.release();
                }
                done.set();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }).start();
            assertThat(done.await(Duration.ofSeconds(60))).isTrue();
            child.kill();
            child.join();
            ((ShmSemaphore) s).reclaimDeadHolders();
            assertThat(s.availablePermits()).isEqualTo(2);
        }
    }

    @Test
    void aSignalTakenByAConsumerThatIsKilledIsNotMadeUpAgain() throws Exception {
        try (ProcessSemaphore signals = ctx.semaphore(0); ProcessEvent holding = ctx.event()) {
            signals.release(); // a producer's signal, beyond the initial 0 permits
            ChildProcess consumer = holder(signals, 1, holding);
            consumer.kill();
            consumer.join();
            ((ShmSemaphore) signals).reclaimDeadHolders();
            assertThat(signals.availablePermits()).isZero();
        }
    }

    @Test
    void theHolderTableCountsEachProcessesNetPermits() throws Exception {
        try (ShmSemaphore s = ShmSemaphore.create(4, false)) {
            s.acquire(3);
            s.release();
            assertThat(s.heldByThisProcess()).isEqualTo(2);
            s.release(3); // a release beyond what this process holds leaves no debt
            assertThat(s.heldByThisProcess()).isZero();
            assertThat(s.drainPermits()).isEqualTo(5);
            assertThat(s.heldByThisProcess()).isEqualTo(5);
        }
    }
}
