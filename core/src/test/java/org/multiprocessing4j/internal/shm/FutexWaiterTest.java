package org.multiprocessing4j.internal.shm;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Futex waits on virtual threads park, never pin a carrier: many more waiters than carriers
 * (the test JVM runs with {@code -Djdk.virtualThreadScheduler.parallelism=2}), then a wake.
 */
// A separate thread: before the fix a waiter pinned in futex never returned, and neither did the
// executor's close(); the test fails at the timeout instead of hanging the build.
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FutexWaiterTest {
    private static final java.lang.invoke.VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final int WAITERS = 4 * Math.max(2, Integer.getInteger("jdk.virtualThreadScheduler.parallelism",
            Runtime.getRuntime().availableProcessors()));

    @Test
    void moreWaitersThanCarriersAllWakeOnABroadcast() throws Exception {
        try (Arena arena = Arena.ofShared(); ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            MemorySegment word = arena.allocate(4, 4);
            CountDownLatch waiting = new CountDownLatch(WAITERS);
            List<Future<Futex.Wake>> waits = new ArrayList<>();
            for (int i = 0; i < WAITERS; i++) {
                waits.add(ex.submit(() -> {
                    waiting.countDown();
                    Futex.Wake wake;
                    do {
                        wake = Futex.await(word, 0, -1);
                    } while (word.get(ValueLayout.JAVA_INT, 0) == 0);
                    return wake;
                }));
            }
            waiting.await();
            ex.submit(() -> {
                word.set(ValueLayout.JAVA_INT, 0, 1);
                Futex.wake(word, Integer.MAX_VALUE);
            }).get(30, TimeUnit.SECONDS);
            for (Future<Futex.Wake> w : waits) {
                assertThat(w.get(30, TimeUnit.SECONDS)).isNotEqualTo(Futex.Wake.TIMED_OUT);
            }
        }
    }

    @Test
    void aWakeOfOneFiresOneWaiterPerWake() throws Exception {
        try (Arena arena = Arena.ofShared(); ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            MemorySegment word = arena.allocate(4, 4);
            AtomicInteger tokens = new AtomicInteger();
            AtomicInteger sleeping = new AtomicInteger();
            List<Future<?>> takers = new ArrayList<>();
            for (int i = 0; i < WAITERS; i++) {
                takers.add(ex.submit(() -> {
                    while (true) {
                        int seen = word.get(ValueLayout.JAVA_INT, 0);
                        int t = tokens.get();
                        if (t > 0 && tokens.compareAndSet(t, t - 1)) {
                            return null;
                        }
                        if (t == 0) {
                            sleeping.incrementAndGet();
                            Futex.await(word, seen, -1);
                            sleeping.decrementAndGet();
                        }
                    }
                }));
            }
            for (int i = 0; i < WAITERS; i++) {
                ex.submit(() -> {
                    tokens.incrementAndGet();
                    INT.getAndAdd(word, 0L, 1); // value change, then wake one: the queue's way
                    Futex.wake(word, 1);
                }).get(30, TimeUnit.SECONDS);
            }
            for (Future<?> t : takers) {
                t.get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void timeoutsAndInterruptsEndAVirtualThreadsWait() throws Exception {
        try (Arena arena = Arena.ofShared(); ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            MemorySegment word = arena.allocate(4, 4);
            assertThat(ex.submit(() -> Futex.await(word, 0, 20_000_000L)).get(30, TimeUnit.SECONDS))
                    .isEqualTo(Futex.Wake.TIMED_OUT);
            assertThat(ex.submit(() -> Futex.await(word, 1, -1)).get(30, TimeUnit.SECONDS))
                    .isEqualTo(Futex.Wake.VALUE_CHANGED);
            CountDownLatch started = new CountDownLatch(1);
            Thread waiter = Thread.ofVirtual().unstarted(() -> {
                started.countDown();
                Futex.Wake w;
                do {
                    // timed: an interrupt that lands before the wait begins is waited through, and the
                    // status comes back with TIMED_OUT; drop it and wait again for one that lands inside
                    w = Futex.await(word, 0, 100_000_000L);
                    if (w != Futex.Wake.INTERRUPTED) {
                        Thread.interrupted();
                    }
                } while (w != Futex.Wake.INTERRUPTED);
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
            });
            waiter.start();
            started.await();
            // An interrupt that lands before the wait begins is waited through (see below): interrupt
            // until the waiter, once in its wait, returns INTERRUPTED.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            do {
                waiter.interrupt();
            } while (!waiter.join(java.time.Duration.ofMillis(50)) && System.nanoTime() < deadline);
            assertThat(waiter.isAlive()).as("the interrupted waiter returned").isFalse();
            // entered interrupted: waits through the interrupt (as futex does), status kept on return
            assertThat(ex.submit(() -> {
                Thread.currentThread().interrupt();
                Futex.Wake w = Futex.await(word, 0, 20_000_000L);
                return w == Futex.Wake.TIMED_OUT && Thread.currentThread().isInterrupted();
            }).get(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    /**
     * The waiter thread keeps the deadlines (a virtual thread parks untimed): waits with different
     * timeouts each time out, in any order, while an untimed wait on the same word stays until its
     * wake, and a timed wait woken long before its deadline says WOKEN.
     */
    @Test
    void timedWaitsEndAtTheirDeadlinesAndAWakeBeforeOneIsAWake() throws Exception {
        try (Arena arena = Arena.ofShared(); ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            MemorySegment word = arena.allocate(4, 4);
            Future<Futex.Wake> untimed = ex.submit(() -> {
                Futex.Wake w;
                do {
                    w = Futex.await(word, 0, -1);
                } while (word.get(ValueLayout.JAVA_INT, 0) == 0);
                return w;
            });
            List<Future<Futex.Wake>> timed = new ArrayList<>();
            for (long millis : new long[] {300, 20, 150, 5, 80, 40, 1, 200}) {
                timed.add(ex.submit(() -> Futex.await(word, 0, TimeUnit.MILLISECONDS.toNanos(millis))));
            }
            for (Future<Futex.Wake> t : timed) {
                assertThat(t.get(30, TimeUnit.SECONDS)).isEqualTo(Futex.Wake.TIMED_OUT);
            }
            assertThat(untimed.isDone()).as("the untimed wait outlives the timed ones").isFalse();
            CountDownLatch waiting = new CountDownLatch(1);
            Future<Futex.Wake> early = ex.submit(() -> {
                waiting.countDown();
                Futex.Wake w;
                do {
                    w = Futex.await(word, 0, TimeUnit.SECONDS.toNanos(60));
                } while (w != Futex.Wake.TIMED_OUT && word.get(ValueLayout.JAVA_INT, 0) == 0);
                return w;
            });
            waiting.await();
            word.set(ValueLayout.JAVA_INT, 0, 1);
            Futex.wake(word, Integer.MAX_VALUE);
            assertThat(early.get(30, TimeUnit.SECONDS)).isNotEqualTo(Futex.Wake.TIMED_OUT);
            assertThat(untimed.get(30, TimeUnit.SECONDS)).isNotEqualTo(Futex.Wake.TIMED_OUT);
        }
    }

    /** Thousands of timed waits woken long before their deadlines: each ends woken, none waits out its timeout. */
    @Test
    void manyTimedWaitsWokenEarlyAllEnd() throws Exception {
        try (Arena arena = Arena.ofShared(); ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            MemorySegment word = arena.allocate(4, 4);
            Future<Integer> waiter = ex.submit(() -> {
                int timedOut = 0;
                for (int seen = 0; seen < 5_000; ) {
                    if (Futex.await(word, seen, TimeUnit.SECONDS.toNanos(60)) == Futex.Wake.TIMED_OUT) {
                        timedOut++;
                    }
                    seen = word.get(ValueLayout.JAVA_INT, 0);
                }
                return timedOut;
            });
            for (int i = 1; i <= 5_000 && !waiter.isDone(); i++) {
                INT.setVolatile(word, 0L, i);
                Futex.wake(word, 1);
                if (i % 100 == 0) {
                    Thread.yield();
                }
            }
            assertThat(waiter.get(30, TimeUnit.SECONDS)).isZero();
        }
    }

    @Test
    void awaitAnyOnAVirtualThreadWakesOnAnyWord() throws Exception {
        try (Arena arena = Arena.ofShared(); ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            MemorySegment a = arena.allocate(4, 4);
            MemorySegment b = arena.allocate(4, 4);
            CountDownLatch waiting = new CountDownLatch(WAITERS);
            List<Future<?>> waits = new ArrayList<>();
            for (int i = 0; i < WAITERS; i++) {
                waits.add(ex.submit(() -> {
                    waiting.countDown();
                    while (b.get(ValueLayout.JAVA_INT, 0) == 0) {
                        Futex.awaitAny(new MemorySegment[] {a, b}, new int[] {0, 0}, -1);
                    }
                    return null;
                }));
            }
            waiting.await();
            ex.submit(() -> {
                b.set(ValueLayout.JAVA_INT, 0, 1);
                Futex.wake(b, Integer.MAX_VALUE);
            }).get(30, TimeUnit.SECONDS);
            for (Future<?> w : waits) {
                w.get(30, TimeUnit.SECONDS);
            }
        }
    }
}
