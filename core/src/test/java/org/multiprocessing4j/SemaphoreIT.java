package org.multiprocessing4j;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
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
}
