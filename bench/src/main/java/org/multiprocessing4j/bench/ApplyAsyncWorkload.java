package org.multiprocessing4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Trivial tasks one by one: the Java side of {@code bench/python/apply_async.py}.
 *
 * <p>Shape (keep in step with the script's docstring): {@code ctx.pool(2)}; one run = 5,000
 * {@code applyAsync(() -> 1)}, then every future joined and the results summed (must be 5,000);
 * warm-up, one run, untimed; then {@code --n} timed runs on the same pool. Reports
 * {@code tasks_per_s} (5,000 ÷ the run's seconds).
 */
public final class ApplyAsyncWorkload {
    static final int TASKS = 5_000;

    private ApplyAsyncWorkload() {}

    public static void main(String[] args) throws Exception {
        WorkloadMain.of(args, 5).throughput("apply_async", "tasks", TASKS, (pool, count) -> {
            List<CompletableFuture<Integer>> futures = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                futures.add(pool.applyAsync(() -> 1));
            }
            long sum = 0;
            for (CompletableFuture<Integer> f : futures) {
                sum += f.join();
            }
            WorkloadMain.check(sum == count, "sum " + sum + " of " + count + " ones");
        });
    }
}
