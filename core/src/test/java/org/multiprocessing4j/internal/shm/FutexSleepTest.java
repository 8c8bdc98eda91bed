package org.multiprocessing4j.internal.shm;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Futex#sleep}, the lean timed wait of the library's own loops: it says whether the time ran
 * out, judged by the clock, on platform and virtual threads alike.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FutexSleepTest {
    private static final long SLICE = TimeUnit.MILLISECONDS.toNanos(30);

    @Test
    void aWordThatHoldsAnotherValueReturnsAtOnceWithoutATimeout() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment word = arena.allocate(4, 4);
            word.set(ValueLayout.JAVA_INT, 0, 7);
            for (int i = 0; i < 10_000; i++) { // a loop that re-checks must not see a slice run out here
                assertThat(Futex.sleep(word, 6, TimeUnit.SECONDS.toNanos(10))).isFalse();
            }
        }
    }

    @Test
    void anUnchangedWordSleepsTheWholeSliceAndSaysSo() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment word = arena.allocate(4, 4);
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                boolean timedOut = Futex.sleep(word, 0, SLICE);
                long slept = System.nanoTime() - start;
                // a spurious return (a signal) may end a sleep early, and says false then: try again
                if (timedOut) {
                    assertThat(slept).as("a sleep that says it ran out lasted the slice").isGreaterThanOrEqualTo(SLICE);
                    return;
                }
            }
            throw new AssertionError("five sleeps of an unchanged word all ended early");
        }
    }

    @Test
    void aZeroSliceSaysWhetherTheWordHasMoved() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment word = arena.allocate(4, 4);
            word.set(ValueLayout.JAVA_INT, 0, 5);
            assertThat(Futex.sleep(word, 5, 0)).as("unchanged: the (empty) slice ran out").isTrue();
            assertThat(Futex.sleep(word, 4, 0)).as("moved").isFalse();
        }
    }

    @Test
    void aWakeEndsTheSleepAndItIsNotATimeout() throws Exception {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment word = arena.allocate(4, 4);
            AtomicBoolean sleeping = new AtomicBoolean();
            CompletableFuture<Boolean> sleeper = CompletableFuture.supplyAsync(() -> {
                sleeping.set(true);
                boolean timedOut = false;
                while (word.get(ValueLayout.JAVA_INT, 0) == 0) {
                    timedOut = Futex.sleep(word, 0, TimeUnit.SECONDS.toNanos(30));
                }
                return timedOut;
            }, r -> Thread.ofPlatform().start(r));
            while (!sleeping.get()) {
                Thread.onSpinWait();
            }
            Thread.sleep(20);
            word.set(ValueLayout.JAVA_INT, 0, 1);
            Futex.wake(word, Integer.MAX_VALUE);
            assertThat(sleeper.get(20, TimeUnit.SECONDS)).isFalse();
        }
    }

    @Test
    void onAVirtualThreadTheSliceRunsOutTheSameWay() throws Exception {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment word = arena.allocate(4, 4);
            word.set(ValueLayout.JAVA_INT, 0, 3);
            CompletableFuture<boolean[]> results = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    results.complete(new boolean[] {Futex.sleep(word, 2, SLICE), Futex.sleep(word, 3, SLICE)});
                } catch (Throwable t) {
                    results.completeExceptionally(t);
                }
            });
            boolean[] r = results.get(20, TimeUnit.SECONDS);
            assertThat(r[0]).as("another value: at once").isFalse();
            assertThat(r[1]).as("unchanged: the slice ran out").isTrue();
        }
    }
}
