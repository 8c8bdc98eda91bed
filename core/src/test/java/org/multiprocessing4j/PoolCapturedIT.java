package org.multiprocessing4j;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tasks that carry data: lambdas that capture values (their shape defined once per worker, their
 * values sent per task), {@code starmap}'s pairs, and {@code imap}'s bounded look-ahead.
 */
class PoolCapturedIT extends ProcessTestSupport {
    private static ProcessPool pool;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        pool = Multiprocessing.local().pool(2);
    }

    @AfterAll
    static void close() {
        if (pool != null) {
            pool.close();
        }
    }

    record Point(int x, String label) implements Serializable {}

    static String describe(int i, long l, double d, String s, byte[] b, boolean flag, Object nothing) {
        return i + " " + l + " " + d + " " + s + " " + Arrays.toString(b) + " " + flag + " " + nothing;
    }

    @Test
    void capturedValuesOfEveryRawKindArriveEqual() throws Exception {
        int i = -7;
        long l = Long.MIN_VALUE;
        double d = 0.1;
        String s = "é\uD800 x"; // a lone surrogate too
        byte[] b = {1, -2, 3};
        boolean flag = true;
        Object nothing = null;
        String expected = describe(i, l, d, s, b, flag, nothing);
        assertThat(pool.applyAsync(() -> describe(i, l, d, s, b, flag, nothing)).get(60, SECONDS)).isEqualTo(expected);
    }

    @Test
    void aRawCapturedByteArrayIsHeldToTheWorkersMaxarrayAsASerializedOneIs() throws Exception {
        try (ProcessPool limited = Multiprocessing.local().poolBuilder().processes(1)
                .jvmOptions("-Dmp4j.serialFilter=maxarray=16").build()) {
            byte[] small = new byte[8];
            byte[] large = new byte[64];
            assertThat(limited.applyAsync(() -> small.length).get(60, SECONDS)).isEqualTo(8);
            Throwable refused = catchThrowable(() -> limited.applyAsync(() -> large.length).get(60, SECONDS));
            assertThat(refused).hasStackTraceContaining("rejected by the serial filter");
            List<byte[]> serialized = new ArrayList<>(List.of(large)); // travels in an object stream
            assertThat(catchThrowable(() -> limited.applyAsync(() -> serialized.get(0).length).get(60, SECONDS)))
                    .as("the same array in an object stream").isNotNull();
            assertThat(limited.applyAsync(() -> small.length + 1).get(60, SECONDS)).as("the worker goes on").isEqualTo(9);
        }
    }

    /**
     * Tasks capturing the library's handles beside raw values travel without an object stream
     * ({@code wire.HandleValues}): thousands of them, each task's handles attached in the worker to the very
     * lock, counter and queue of the parent, the hand-offs balanced (nothing left attached once the pool
     * and the handles are closed: {@code ProcessTestSupport} checks it after the class).
     */
    @Test
    void tasksCapturingHandlesBesideRawValuesUseTheParentsSharedMemory() throws Exception {
        Context ctx = Multiprocessing.local();
        try (ProcessLock lock = ctx.lock();
                SharedLong counter = ctx.sharedLong(0);
                ProcessQueue<Integer> queue = ctx.queue()) {
            int tasks = 2_000;
            List<CompletableFuture<Long>> results = new ArrayList<>();
            for (int k = 0; k < tasks; k++) {
                int step = k % 3 == 0 ? 2 : 1;
                results.add(pool.applyAsync(() -> {
                    lock.lock();
                    try {
                        return counter.addAndGet(step);
                    } finally {
                        lock.unlock();
                    }
                }));
            }
            long expected = 0;
            for (int k = 0; k < tasks; k++) {
                expected += k % 3 == 0 ? 2 : 1;
                results.get(k).get(60, SECONDS);
            }
            assertThat(counter.get()).as("every task added its step under the shared lock").isEqualTo(expected);
            int label = 7;
            assertThat(pool.applyAsync(() -> {
                queue.put(label);
                return ProcessHandle.current().pid();
            }).get(60, SECONDS)).as("a worker's pid").isNotEqualTo(ProcessHandle.current().pid());
            assertThat(queue.poll(60, SECONDS)).isEqualTo(7);
        }
    }

    @Test
    void theSerialFiltersRulesHoldForAHandleATaskCaptures() throws Exception {
        try (ProcessPool limited = Multiprocessing.local().poolBuilder().processes(1)
                .jvmOptions("-Dmp4j.serialFilter=!org.multiprocessing4j.internal.sync.ShmLock$Ref").build();
                ProcessLock lock = Multiprocessing.local().lock()) {
            int n = 3;
            Throwable refused = catchThrowable(() -> limited.applyAsync(() -> lock.tryLock() ? n : -n).get(60, SECONDS));
            assertThat(refused).hasStackTraceContaining("rejected by the serial filter").hasStackTraceContaining("ShmLock$Ref");
            assertThat(limited.applyAsync(() -> n + 1).get(60, SECONDS)).as("the worker goes on").isEqualTo(4);
        }
    }

    @Test
    void capturedValuesThatAreNotRawTravelSerializedWithTheirSharedReferences() throws Exception {
        Point p = new Point(3, "p");
        List<Point> list = new ArrayList<>(List.of(p));
        assertThat(pool.applyAsync(() -> list.get(0) == p ? p.x() + list.size() : -1).get(60, SECONDS))
                .as("the list's element and the point are one object in the worker too").isEqualTo(4);
    }

    @Test
    void thousandsOfTasksEachCapturingItsOwnValueGetTheirOwnResult() {
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        for (int k = 0; k < 10_000; k++) {
            long v = k;
            futures.add(pool.applyAsync(() -> v * v));
        }
        for (int k = 0; k < futures.size(); k++) {
            assertThat(futures.get(k).join()).isEqualTo((long) k * k);
        }
    }

    @Test
    void aBoundMethodReferenceAndASubmittedCallableTravelByShapeToo() throws Exception {
        String word = "multiprocessing";
        SerializableCallable<Integer> length = word::length;
        assertThat(pool.applyAsync(length).get(60, SECONDS)).isEqualTo(word.length());
        int base = 40;
        SerializableCallable<Integer> task = () -> base + 2;
        Future<Integer> submitted = pool.submit(task);
        assertThat(submitted.get(60, SECONDS)).isEqualTo(42);
    }

    @Test
    void aCapturedValueThatCannotBeSerializedIsRefusedAtSubmission() {
        Object notSerializable = new Object();
        Throwable thrown = catchThrowable(() -> pool.applyAsync(() -> notSerializable.hashCode()));
        assertThat(thrown).isInstanceOf(RejectedExecutionException.class).hasMessageContaining(Object.class.getName());
    }

    @Test
    void theSerialFiltersRulesHoldForACapturedLambdasClass() {
        try (ProcessPool own = Multiprocessing.local().poolBuilder().processes(1)
                .jvmOptions("-Dmp4j.serialFilter=!" + PoolCapturedIT.class.getName()).build()) {
            int k = 1;
            Throwable thrown = catchThrowable(() -> own.applyAsync(() -> k + 1).get(60, SECONDS));
            assertThat(thrown).isInstanceOf(java.util.concurrent.ExecutionException.class).cause()
                    .isInstanceOf(java.io.InvalidClassException.class).hasMessageContaining(PoolCapturedIT.class.getName());
        }
    }

    static Integer block(String pidFile) {
        write(pidFile, Long.toString(ProcessHandle.current().pid()));
        sleep(Duration.ofSeconds(300));
        throw new AssertionError("a blocked task was not stopped");
    }

    @Test
    void aCapturingTaskReturnedByShutdownNowRunsInTheCaller() throws Exception {
        ProcessPool own = Multiprocessing.local().pool(1);
        try {
            String pidFile = dir.resolve("block.pid").toString();
            own.applyAsync(() -> block(pidFile));
            int k = 20;
            CompletableFuture<Integer> queued = own.applyAsync(() -> k + 1);
            awaitCondition("the blocking task starts", Duration.ofSeconds(60), () -> Files.exists(Path.of(pidFile)));
            List<Runnable> neverStarted = own.shutdownNow();
            assertThat(neverStarted).containsExactly((Runnable) queued);
            neverStarted.get(0).run();
            assertThat(queued.get(0, SECONDS)).isEqualTo(21);
        } finally {
            own.shutdownNow();
        }
    }

    @Test
    void starmapPairsOfRawValuesAndOfOtherValues() {
        List<Map.Entry<Integer, String>> raw = IntStream.range(0, 1000)
                .mapToObj(k -> (Map.Entry<Integer, String>) new AbstractMap.SimpleImmutableEntry<>(k, "x" + k)).toList();
        assertThat(pool.starmap((k, s) -> s + ":" + k, raw))
                .isEqualTo(IntStream.range(0, 1000).mapToObj(k -> "x" + k + ":" + k).toList());
        List<Map.Entry<Point, Integer>> other = List.of(Map.entry(new Point(1, "a"), 2), Map.entry(new Point(5, "b"), 3));
        assertThat(pool.starmap((p, n) -> p.label().repeat(n) + p.x(), other)).containsExactly("aa1", "bbb5");
    }

    /** An endless input that counts what it hands out. */
    static Iterable<Integer> endless(AtomicInteger read) {
        return () -> new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                read.incrementAndGet();
                return next++;
            }
        };
    }

    @Test
    void imapOnAnEndlessInputReadsOnlyAFewChunksPerWorkerAhead() {
        for (boolean ordered : new boolean[] {true, false}) {
            AtomicInteger read = new AtomicInteger();
            Iterator<Integer> results = ordered ? pool.imap(x -> x * 2, endless(read), 1)
                    : pool.imapUnordered(x -> x * 2, endless(read), 1);
            List<Integer> ten = new ArrayList<>();
            for (int k = 0; k < 10; k++) {
                ten.add(results.next());
            }
            if (ordered) {
                assertThat(ten).isEqualTo(IntStream.range(0, 10).map(k -> k * 2).boxed().toList());
            } else {
                assertThat(ten).hasSize(10).allMatch(v -> v % 2 == 0);
            }
            assertThat(read.get()).as("items read for 10 results (ordered: %s)", ordered).isLessThanOrEqualTo(36);
        }
    }

    @Test
    void imapsLookAheadIsConfigurable() {
        AtomicInteger read = new AtomicInteger();
        Iterator<Integer> results = pool.imap(x -> x + 1, endless(read), 1, 2);
        assertThat(results.next()).isEqualTo(1);
        assertThat(read.get()).as("a look-ahead of 2 chunks").isLessThanOrEqualTo(3);
        AtomicInteger readUnordered = new AtomicInteger();
        Iterator<Integer> unordered = pool.imapUnordered(x -> x + 1, endless(readUnordered), 3, 1);
        unordered.next();
        assertThat(readUnordered.get()).as("a look-ahead of 1 chunk of 3").isLessThanOrEqualTo(6);
        assertThat(catchThrowable(() -> pool.imap(x -> x, List.of(1), 1, 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
        List<Integer> all = new ArrayList<>();
        pool.imap(x -> x * 3, IntStream.range(0, 500).boxed().toList(), 7, 3).forEachRemaining(all::add);
        assertThat(all).isEqualTo(IntStream.range(0, 500).map(x -> x * 3).boxed().toList());
    }
}
