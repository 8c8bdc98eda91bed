package org.multiprocessing4j.bench;

import java.util.List;

/**
 * Bulk mapping with the default chunks: the Java side of {@code bench/python/pool_map.py}.
 *
 * <p>Shape (keep in step with the script's docstring): {@code ctx.pool(2)}; the list
 * {@code 0 … 199,999} built before timing; one run = {@code map(x -> x * 2, items)} (chunks of
 * {@code ⌈200,000 ÷ (4 × 2)⌉ = 25,000}, as Python sizes them), the result list checked; warm-up, one
 * run, untimed; then {@code --n} timed runs on the same pool. Reports {@code items_per_s}.
 */
public final class MapWorkload {
    static final int ITEMS = 200_000;

    private MapWorkload() {}

    public static void main(String[] args) throws Exception {
        List<Integer> items = WorkloadMain.range(ITEMS);
        WorkloadMain.of(args, 9).throughput("map", "items", ITEMS, (pool, count) -> {
            List<Integer> results = pool.map((Integer x) -> x * 2, items);
            checkDoubled(results, count);
        });
    }

    static void checkDoubled(List<Integer> results, int count) {
        WorkloadMain.check(results.size() == count, results.size() + " results of " + count);
        for (int i = 0; i < count; i++) {
            WorkloadMain.check(results.get(i) == 2 * i, "item " + i + " gave " + results.get(i));
        }
    }
}
