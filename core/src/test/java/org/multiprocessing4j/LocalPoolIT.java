package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The {@link PoolContract} on the local backend: worker JVMs on this machine, and its scheduling. */
class LocalPoolIT extends PoolContract {
    @Override
    protected ProcessPool newPool(int processes) {
        return Multiprocessing.local().pool(processes);
    }

    /**
     * Long tasks are sent ahead to a busy worker only while there is more than one per worker: the last
     * task goes to the first worker that is free, never behind a long task (as in CPython, whose workers
     * take a task only when free).
     */
    @Test
    void theLastTaskGoesToTheFirstFreeWorkerNotBehindALongTask() throws Exception {
        Context ctx = Multiprocessing.local();
        try (ProcessPool pool = newPool(2); ProcessEvent endLong = ctx.event(); ProcessEvent endShort = ctx.event()) {
            pool.map(i -> { // the pool learns that these tasks take milliseconds, not microseconds
                sleep(Duration.ofMillis(20));
                return i;
            }, List.of(1, 2, 3, 4, 5, 6), 1);
            CompletableFuture<Long> longTask = pool.applyAsync(() -> {
                endLong.await();
                return pid();
            });
            CompletableFuture<Long> shortTask = pool.applyAsync(() -> {
                endShort.await();
                return pid();
            });
            CompletableFuture<Long> last = pool.applyAsync(PoolContract::pid);
            try {
                endShort.set(); // both workers are busy, or will be: the last task may only go to the first one free

                long lastPid = last.get(60, TimeUnit.SECONDS);
                assertThat(longTask).isNotDone();
                assertThat(lastPid).isEqualTo(shortTask.get(60, TimeUnit.SECONDS));
                endLong.set();
                assertThat(longTask.get(60, TimeUnit.SECONDS)).isNotEqualTo(lastPid);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("long " + longTask + ", short " + shortTask + ", last " + last + "; " + pool, e);
            } finally {
                endLong.set(); // a failure must not leave close() waiting for the long task
            }
        }
    }

    /**
     * A worker writes a slow task's result itself, a fast one's through its writer thread, and results
     * must reach the pool in the order the tasks ran: a mix of both, sent ahead in many frames, all
     * arrive, each with its own value, and no worker is lost.
     */
    @Test
    void resultsOfSlowAndFastTasksMixedArriveInOrderEachWithItsValue() throws Exception {
        try (ProcessPool pool = newPool(1)) {
            long worker = pool.apply(PoolContract::pid);
            for (int round = 0; round < 3; round++) {
                List<Integer> items = java.util.stream.IntStream.range(0, 300).boxed().toList();
                List<Integer> out = pool.map(i -> {
                    if (i % 3 == 0) {
                        long until = System.nanoTime() + 1_500_000; // over the worker's 1 ms threshold
                        while (System.nanoTime() < until) {
                            Thread.onSpinWait();
                        }
                    }
                    return i * 2;
                }, items, 1);
                assertThat(out).isEqualTo(items.stream().map(i -> i * 2).toList());
                List<CompletableFuture<long[]>> futures = new java.util.ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    int k = i;
                    futures.add(pool.applyAsync(() -> {
                        if (k % 2 == 0) {
                            sleep(Duration.ofMillis(2));
                        }
                        return new long[] {k, pid()};
                    }));
                }
                for (int i = 0; i < 100; i++) {
                    long[] got = futures.get(i).get(60, TimeUnit.SECONDS);
                    assertThat(got[0]).isEqualTo(i);
                    // a result out of order ends the worker (its tasks run again elsewhere): none may be lost
                    assertThat(got[1]).as("the worker that ran task %d", i).isEqualTo(worker);
                }
            }
        }
    }

    /**
     * A worker's tasks are sent by two threads of the pool: its feeder (for tasks submitted while it has
     * room) and its reader (for the tasks its results make room for). Tasks that reached a worker out of
     * the order the pool recorded would end it (its results would not match); here four threads submit
     * while results flow (five rounds of 6,000 tasks), and every task must come back with its value from
     * one of two workers, none replaced. Without the send lock, the reader and the feeder interleave and
     * a third worker shows in 3 of 3 runs of five rounds (1 of 3 with one round).
     */
    @Test
    void tasksSubmittedByManyThreadsWhileResultsFlowReachEachWorkerInOrder() throws Exception {
        try (ProcessPool pool = newPool(2)) {
            int threads = 4;
            int perThread = 1_500;
            java.util.concurrent.ExecutorService submitting = java.util.concurrent.Executors.newFixedThreadPool(threads);
            java.util.Set<Long> ranOn = new java.util.HashSet<>();
            try {
                for (int round = 0; round < 5; round++) {
                    submitInRound(pool, threads, perThread, submitting, ranOn);
                }
            } finally {
                submitting.shutdownNow();
            }
            // a worker replaced (its results did not match what was sent) would show a third pid
            assertThat(ranOn).as("the workers that ran the tasks").hasSizeLessThanOrEqualTo(2);
            assertThat(pool.workerPids()).containsAll(ranOn);
        }
    }

    /** One round of {@link #tasksSubmittedByManyThreadsWhileResultsFlowReachEachWorkerInOrder}: each value checked. */
    private static void submitInRound(ProcessPool pool, int threads, int perThread,
            java.util.concurrent.ExecutorService submitting, java.util.Set<Long> ranOn) throws Exception {
        List<CompletableFuture<List<CompletableFuture<long[]>>>> submitters = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t * perThread;
            submitters.add(CompletableFuture.supplyAsync(() -> {
                List<CompletableFuture<long[]>> mine = new java.util.ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    int k = base + i;
                    mine.add(pool.applyAsync(() -> {
                        if (k % 97 == 0) {
                            sleep(Duration.ofMillis(2)); // slow now and then: the workers' room changes
                        }
                        return new long[] {k, pid()};
                    }));
                }
                return mine;
            }, submitting));
        }
        for (int t = 0; t < threads; t++) {
            List<CompletableFuture<long[]>> mine = submitters.get(t).get(60, TimeUnit.SECONDS);
            for (int i = 0; i < perThread; i++) {
                long[] got = mine.get(i).get(60, TimeUnit.SECONDS);
                assertThat(got[0]).isEqualTo(t * perThread + i);
                ranOn.add(got[1]);
            }
        }
    }

    /**
     * Large tasks and large results at once: the pool writes a task to a worker while the worker, which
     * has not read it yet, writes a result back. Neither side may wait on its write for the other to
     * read (each socket's buffer holds ~200 KB, each message here is 1 MB): the map must end, each
     * result right.
     */
    @Test
    void largeTasksAndLargeResultsFlowBothWaysAtOnceWithoutDeadlock() throws Exception {
        try (ProcessPool pool = newPool(1)) {
            List<byte[]> items = new java.util.ArrayList<>();
            for (int i = 0; i < 24; i++) {
                byte[] item = new byte[1 << 20];
                java.util.Arrays.fill(item, (byte) i);
                items.add(item);
            }
            List<byte[]> out = pool.<byte[], byte[]>mapAsync(item -> {
                sleep(Duration.ofMillis(5)); // a slow task: its result is written at once, by the thread that ran it
                byte[] result = item.clone();
                result[0] = (byte) (item[0] + 1);
                return result;
            }, items, 1).get(120, TimeUnit.SECONDS);
            for (int i = 0; i < items.size(); i++) {
                assertThat(out.get(i)).hasSize(1 << 20);
                assertThat(out.get(i)[0]).isEqualTo((byte) (i + 1));
                assertThat(out.get(i)[(1 << 20) - 1]).isEqualTo((byte) i);
            }
        }
    }
}
