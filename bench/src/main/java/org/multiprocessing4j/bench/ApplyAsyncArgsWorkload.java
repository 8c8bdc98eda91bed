package org.multiprocessing4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Tasks that carry their argument, one by one: the Java side of {@code bench/python/apply_async_args.py}.
 *
 * <p>Shape (keep in step with the script's docstring): {@code ctx.pool(2)}; one run = 5,000
 * {@code applyAsync(() -> twice(k))} for k = 0 … 4,999 (a lambda that captures {@code k}, as
 * {@code apply_async(double, (k,))} carries it), then every future joined and the results summed (must
 * be 2 × the sum of the ks); warm-up, one run, untimed; then {@code --n} timed runs on the same pool.
 * Reports {@code tasks_per_s} (5,000 ÷ the run's seconds).
 */
public final class ApplyAsyncArgsWorkload {
    static final int TASKS = 5_000;

    private ApplyAsyncArgsWorkload() {}

    static int twice(int k) {
        return k * 2;
    }

    public static void main(String[] args) throws Exception {
        WorkloadMain.of(args, 5).throughput("apply_async_args", "tasks", TASKS, (pool, count) -> {
            List<CompletableFuture<Integer>> futures = new ArrayList<>(count);
            for (int k = 0; k < count; k++) {
                int arg = k;
                futures.add(pool.applyAsync(() -> twice(arg)));
            }
            long sum = 0;
            for (CompletableFuture<Integer> f : futures) {
                sum += f.join();
            }
            WorkloadMain.check(sum == (long) count * (count - 1), "sum " + sum + " of " + count + " doubled ks");
        });
    }
}
