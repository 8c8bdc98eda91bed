package org.multiprocessing4j.bench;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Tasks of two arguments in chunks: the Java side of {@code bench/python/starmap.py}.
 *
 * <p>Shape (keep in step with the script's docstring): {@code ctx.pool(2)}; the pairs {@code (k, 3)}
 * for k = 0 … 199,999 built before timing; one run = {@code starmap((a, b) -> a * b, pairs)} with the
 * default chunks (25,000), each result checked against 3 × its index; warm-up, one run, untimed; then
 * {@code --n} timed runs on the same pool. Reports {@code items_per_s}.
 */
public final class StarmapWorkload {
    static final int ITEMS = 200_000;

    private StarmapWorkload() {}

    public static void main(String[] args) throws Exception {
        List<Map.Entry<Integer, Integer>> pairs = new ArrayList<>(ITEMS);
        for (int k = 0; k < ITEMS; k++) {
            pairs.add(new AbstractMap.SimpleImmutableEntry<>(k, 3));
        }
        WorkloadMain.of(args, 9).throughput("starmap", "items", ITEMS, (pool, count) -> {
            List<Integer> results = pool.starmap((Integer a, Integer b) -> a * b, pairs);
            WorkloadMain.check(results.size() == count, results.size() + " results of " + count);
            for (int i = 0; i < count; i++) {
                if (results.get(i) != 3 * i) {
                    WorkloadMain.check(false, "item " + i + " gave " + results.get(i));
                }
            }
        });
    }
}
