package org.multiprocessing4j.bench;

import java.util.Iterator;
import java.util.List;

/**
 * Ordered lazy mapping, one item per task: the Java side of {@code bench/python/imap.py}.
 *
 * <p>Shape (keep in step with the script's docstring): {@code ctx.pool(2)}; the list
 * {@code 0 … 19,999} built before timing; one run = {@code imap(x -> x * 2, items, 1)} iterated to the
 * end, each result checked against {@code 2 × its index}; warm-up, one run, untimed; then {@code --n}
 * timed runs on the same pool. Reports {@code items_per_s}.
 */
public final class ImapWorkload {
    static final int ITEMS = 20_000;

    private ImapWorkload() {}

    public static void main(String[] args) throws Exception {
        List<Integer> items = WorkloadMain.range(ITEMS);
        WorkloadMain.of(args, 5).throughput("imap", "items", ITEMS, (pool, count) -> {
            Iterator<Integer> results = pool.imap((Integer x) -> x * 2, items, 1);
            int i = 0;
            while (results.hasNext()) {
                int r = results.next();
                WorkloadMain.check(r == 2 * i, "item " + i + " gave " + r);
                i++;
            }
            WorkloadMain.check(i == count, i + " results of " + count);
        });
    }
}
