package org.multiprocessing4j.bench;

import java.util.List;

/**
 * Bulk mapping in chunks of 1,000: the Java side of {@code bench/python/executor_map.py} (CPython's
 * {@code ProcessPoolExecutor.map(fn, items, chunksize=1000)}).
 *
 * <p>Shape (keep in step with the script's docstring): {@code ctx.pool(2)}; the list
 * {@code 0 … 199,999} built before timing; one run = {@code map(x -> x * 2, items, 1000)}, the result
 * list checked; warm-up, one run, untimed; then {@code --n} timed runs on the same pool. Reports
 * {@code items_per_s}.
 */
public final class ExecutorMapWorkload {
    static final int ITEMS = 200_000;
    static final int CHUNKSIZE = 1_000;

    private ExecutorMapWorkload() {}

    public static void main(String[] args) throws Exception {
        List<Integer> items = WorkloadMain.range(ITEMS);
        WorkloadMain.of(args, 9).throughput("executor_map", "items", ITEMS, (pool, count) -> {
            List<Integer> results = pool.map((Integer x) -> x * 2, items, CHUNKSIZE);
            MapWorkload.checkDoubled(results, count);
        });
    }
}
