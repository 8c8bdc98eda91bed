package org.multiprocessing4j.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.SerializableCallable;

class WorkerClockTest {

    @Test
    void aChunkIsSummarizedByItsItemsClipped() {
        assertThat(WorkerClock.summarize(new Object[] {1, "two", null})).isEqualTo("[1, two, null]");
        assertThat(WorkerClock.summarize(new Object[] {"x".repeat(500), 2, 3}))
                .as("an item is clipped to 40 characters").isEqualTo("[" + "x".repeat(39) + "…, 2, 3]");
        Object[] many = java.util.stream.IntStream.range(0, 1000).boxed().toArray();
        assertThat(WorkerClock.summarize(many)).as("the whole to 100").hasSize(100).endsWith("…");
    }

    @Test
    void aLambdaIsSummarizedByWhatItCaptured() {
        int n = 42;
        String s = "abc";
        SerializableCallable<String> task = () -> s + n;
        assertThat(WorkerClock.summarize(task)).isEqualTo("captures (abc, 42)").doesNotContain("Lambda");
    }

    @Test
    void onlyTasksAmongTheSlowestAreSummarized() {
        WorkerClock clock = new WorkerClock(true);
        for (int i = 0; i < 5; i++) {
            long secondAgo = System.nanoTime() - 1_000_000_000L;
            clock.last = secondAgo;
            clock.ran(1, secondAgo, new Object[] {i});
            assertThat(clock.lastSlow).as("the first five are the slowest so far").isEqualTo("[" + i + "]");
        }
        Callable<String> quick = () -> "x";
        clock.ran(3, clock.last, quick);
        assertThat(clock.lastSlow).as("far quicker than the five slowest").isNull();
        assertThat(clock.tasks).isEqualTo(8);
        assertThat(clock.working).isGreaterThanOrEqualTo(5_000_000_000L);
        assertThat(clock.deserializing).as("ready as soon as started").isZero();
    }

    @Test
    void eachReadingEndsOnePartAndStartsTheNext() {
        WorkerClock clock = new WorkerClock(true);
        long start = clock.last;
        clock.waited();
        long arrived = clock.last;
        long ready = System.nanoTime();
        clock.ran(1, ready, new Object[] {1});
        long ended = clock.last;
        clock.serialized();
        assertThat(clock.waiting).isEqualTo(arrived - start);
        assertThat(clock.deserializing).isEqualTo(ready - arrived);
        assertThat(clock.working).isEqualTo(ended - ready);
        assertThat(clock.serializing).isEqualTo(clock.last - ended);
    }

    /** Without insights (the default) the worker reads no clock: it counts tasks, nothing else. */
    @Test
    void offItCountsTasksAndReadsNoClock() {
        WorkerClock clock = new WorkerClock(false);
        clock.waited();
        clock.ran(3, clock.now(), new Object[] {1, 2, 3});
        clock.serialized();
        assertThat(clock.tasks).isEqualTo(3);
        assertThat(clock.now()).isZero();
        assertThat(clock.last).isZero();
        assertThat(clock.waiting + clock.deserializing + clock.working + clock.serializing).isZero();
        assertThat(clock.lastSlow).isNull();
    }
}
