package org.multiprocessing4j.internal.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one wait loop of the library ({@link SharedWait}): it ends when the condition holds (woken through
 * the futex, on a platform or a virtual thread), at its deadline, on an interrupt if it takes them, and
 * when its peer is found dead; it counts itself as a sleeper only while it sleeps. No timing is asserted:
 * every wait here ends on an event, and a hang fails at the class's timeout.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SharedWaitTest {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final long WORD = 0;
    private static final long SLEEPERS = 64;
    private static final long FLAG = 128;
    /** Short slices, so that a test that waits for a slice to pass is quick. */
    private static final SharedWait.Pacing PACING = new SharedWait.Pacing(1_000, 10_000, 5_000_000, 20_000_000, true);

    /** A wait for {@code FLAG} to be set, recording what it was asked. */
    private static class FlagWait extends SharedWait {
        final MemorySegment m;
        final AtomicInteger announcedChecks = new AtomicInteger();
        final CountDownLatch sleeping = new CountDownLatch(1);

        FlagWait(MemorySegment m, Pacing pacing) {
            super(pacing, m, WORD, SLEEPERS);
            this.m = m;
        }

        @Override
        protected boolean ready(boolean announced) {
            if (announced) {
                announcedChecks.incrementAndGet();
            }
            return (int) INT.getAcquire(m, FLAG) != 0;
        }

        @Override
        protected boolean sleep(MemorySegment word, int observed, long nanos) {
            sleeping.countDown();
            return super.sleep(word, observed, nanos);
        }
    }

    /** What a waker does: publish, fence, and wake only if a sleeper is counted (as every caller does). */
    private static void set(MemorySegment m) {
        INT.setRelease(m, FLAG, 1);
        VarHandle.fullFence();
        if ((int) INT.getAcquire(m, SLEEPERS) > 0) {
            INT.getAndAdd(m, WORD, 1);
            Futex.wake(m.asSlice(WORD, 4), Integer.MAX_VALUE);
        }
    }

    @ParameterizedTest(name = "virtual: {0}")
    @ValueSource(booleans = {false, true})
    void aSleeperIsWokenWhenTheConditionIsPublished(boolean virtual) throws Exception {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment m = arena.allocate(256, 64);
            FlagWait wait = new FlagWait(m, PACING);
            Future<SharedWait.Outcome> outcome = start(virtual, wait::await);
            assertThat(wait.sleeping.await(30, TimeUnit.SECONDS)).as("the waiter went to sleep").isTrue();
            set(m);
            assertThat(outcome.get(30, TimeUnit.SECONDS)).isEqualTo(SharedWait.Outcome.READY);
            assertThat((int) INT.getAcquire(m, SLEEPERS)).as("the sleeper withdrew").isZero();
        }
    }

    @Test
    void aConditionThatHoldsAlreadyEndsTheWaitWithoutASleep() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment m = arena.allocate(256, 64);
            INT.setRelease(m, FLAG, 1);
            FlagWait wait = new FlagWait(m, PACING);
            assertThat(wait.await()).isEqualTo(SharedWait.Outcome.READY);
            assertThat(wait.sleeping.getCount()).as("never slept").isEqualTo(1);
        }
    }

    @Test
    void theDeadlineIsHonoured() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment m = arena.allocate(256, 64);
            FlagWait wait = new FlagWait(m, PACING);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(30);
            assertThat(wait.await(true, deadline)).isEqualTo(SharedWait.Outcome.TIMED_OUT);
            assertThat(System.nanoTime() - deadline).as("not before the deadline").isNotNegative();
            assertThat((int) INT.getAcquire(m, SLEEPERS)).isZero();
        }
    }

    @Test
    void aDeadlineInThePastEndsTheWaitInItsFirstPhase() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment m = arena.allocate(256, 64);
            FlagWait wait = new FlagWait(m, PACING);
            assertThat(wait.await(true, System.nanoTime() - 1)).isEqualTo(SharedWait.Outcome.TIMED_OUT);
        }
    }

    @ParameterizedTest(name = "virtual: {0}")
    @ValueSource(booleans = {false, true})
    void anInterruptEndsAnInterruptibleWaitAndIsConsumed(boolean virtual) throws Exception {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment m = arena.allocate(256, 64);
            FlagWait wait = new FlagWait(m, PACING);
            AtomicBoolean stillInterrupted = new AtomicBoolean(true);
            Thread[] waiter = new Thread[1];
            CountDownLatch started = new CountDownLatch(1);
            Future<SharedWait.Outcome> outcome = start(virtual, () -> {
                waiter[0] = Thread.currentThread();
                started.countDown();
                SharedWait.Outcome o = wait.await();
                stillInterrupted.set(Thread.currentThread().isInterrupted());
                return o;
            });
            started.await();
            assertThat(wait.sleeping.await(30, TimeUnit.SECONDS)).isTrue();
            waiter[0].interrupt();
            assertThat(outcome.get(30, TimeUnit.SECONDS)).isEqualTo(SharedWait.Outcome.INTERRUPTED);
            assertThat(stillInterrupted).as("the interrupt status is cleared with the outcome").isFalse();
        }
    }

    @Test
    void aWaitThatTakesNoInterruptsGoesOnUntilReadyAndKeepsTheInterrupt() throws Exception {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment m = arena.allocate(256, 64);
            SharedWait.Pacing deaf = new SharedWait.Pacing(1_000, 10_000, 5_000_000, false);
            AtomicInteger slept = new AtomicInteger();
            CountDownLatch twice = new CountDownLatch(2);
            FlagWait wait = new FlagWait(m, deaf) {
                @Override
                protected boolean afterSleep(boolean timedOut) {
                    slept.incrementAndGet();
                    twice.countDown();
                    return false;
                }
            };
            AtomicBoolean interrupted = new AtomicBoolean();
            CompletableFuture<SharedWait.Outcome> outcome = new CompletableFuture<>();
            Thread t = Thread.ofPlatform().start(() -> {
                Thread.currentThread().interrupt();
                outcome.complete(wait.await());
                interrupted.set(Thread.currentThread().isInterrupted());
            });
            assertThat(twice.await(30, TimeUnit.SECONDS)).as("slept through the interrupt").isTrue();
            set(m);
            assertThat(outcome.get(30, TimeUnit.SECONDS)).isEqualTo(SharedWait.Outcome.READY);
            t.join();
            assertThat(interrupted).as("the interrupt is the caller's to see").isTrue();
            assertThat(slept.get()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void aDeadPeerIsFoundAfterASliceAndItsExceptionReachesTheCaller() throws Exception {
        Process peer = new ProcessBuilder("sleep", "600").start();
        try (Arena arena = Arena.ofShared()) {
            MemorySegment m = arena.allocate(256, 64);
            FlagWait wait = new FlagWait(m, PACING) {
                @Override
                protected boolean afterSleep(boolean timedOut) {
                    if (timedOut && !peer.isAlive()) {
                        throw new IllegalStateException("the peer (pid " + peer.pid() + ") has ended");
                    }
                    return false;
                }
            };
            Future<SharedWait.Outcome> outcome = start(false, wait::await);
            assertThat(wait.sleeping.await(30, TimeUnit.SECONDS)).isTrue();
            peer.destroyForcibly().waitFor();
            assertThatThrownBy(() -> outcome.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(IllegalStateException.class).hasMessageContaining("has ended");
            assertThat((int) INT.getAcquire(m, SLEEPERS)).as("withdrawn on the way out").isZero();
        } finally {
            peer.destroyForcibly();
        }
    }

    @Test
    void aPeerGoneCutsTheFirstPhaseShortAndTheThoroughCheckEndsTheWait() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment m = arena.allocate(256, 64);
            SharedWait.Pacing longYield = new SharedWait.Pacing(0, TimeUnit.SECONDS.toNanos(600), 5_000_000, false);
            SharedWait wait = new SharedWait(longYield, m, WORD, SLEEPERS) {
                @Override
                protected boolean ready(boolean announced) {
                    if (announced) {
                        throw new IllegalStateException("end of file");
                    }
                    return false;
                }

                @Override
                protected boolean peerGone() {
                    return true;
                }
            };
            assertThatThrownBy(wait::await).isInstanceOf(IllegalStateException.class).hasMessage("end of file");
            assertThat((int) INT.getAcquire(m, SLEEPERS)).isZero();
        }
    }

    @Test
    void afterSleepMayEndTheWaitAsReady() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment m = arena.allocate(256, 64);
            FlagWait wait = new FlagWait(m, PACING) {
                @Override
                protected boolean afterSleep(boolean timedOut) {
                    return timedOut; // a dead owner's lock taken over, say
                }
            };
            assertThat(wait.await()).isEqualTo(SharedWait.Outcome.READY);
            assertThat(wait.announcedChecks.get()).isPositive();
        }
    }

    private static <T> Future<T> start(boolean virtual, java.util.concurrent.Callable<T> body) {
        FutureTask<T> task = new FutureTask<>(body);
        (virtual ? Thread.ofVirtual() : Thread.ofPlatform()).start(task);
        return task;
    }
}
