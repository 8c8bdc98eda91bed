package org.multiprocessing4j.examples;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessPool;

/**
 * {@code pool.map}, {@code map} with a chunk size, {@code starmap} for a function of two arguments, then
 * {@code imap} and {@code imap_unordered}: seed 003 ("pool.map … 结果直接是个列表", "使用 starmap 而不是
 * map", a pool of {@code cpu_count() - 1} processes to leave a CPU free; at least 2 here). The results come back in the
 * order of the inputs, whichever worker computed them; with a chunk size of 4, each run of 4 inputs is
 * one task, so it is computed in one worker.
 *
 * <p>The Python original (the seed's fragments, as one program):
 * <pre>{@code
 * def square(x):
 *     return x * x
 *
 * def power(base, exponent):         # two arguments: map cannot pass them, starmap can
 *     return base ** exponent
 *
 * if __name__ == '__main__':
 *     with Pool(processes=max(2, cpu_count() - 1)) as pool:
 *         print(pool.map(square, range(10)))
 *         print(pool.map(square, range(12), chunksize=4))
 *         print(pool.starmap(power, [(2, 10), (3, 3), (10, 2), (7, 0)]))
 *         print(list(pool.imap(square, range(5))))
 *         print(sorted(pool.imap_unordered(square, range(5))))
 * }</pre>
 */
public final class PoolMap {
    private static final int CHUNKED_ITEMS = 12;
    private static final int CHUNKSIZE = 4;

    private PoolMap() {}

    /** What a worker sends back: the input, its square and the worker's pid. */
    record Squared(int x, int square, long pid) implements Serializable {}

    static Squared square(int x) {
        return new Squared(x, x * x, Work.pid());
    }

    static long power(int base, int exponent) {
        long result = 1;
        for (int i = 0; i < exponent; i++) {
            result *= base;
        }
        return result;
    }

    public static void main(String[] args) {
        run(Multiprocessing.local());
    }

    /** The program on {@code ctx}: {@code mp4j tour cluster} runs it unchanged on a cluster's context. */
    public static void run(Context ctx) {
        System.out.println("main: pid=" + Work.pid());
        // The seed leaves one CPU for other work; at least 2 workers here, so that the work is shared.
        int processes = Math.max(2, Multiprocessing.cpuCount() - 1);
        try (ProcessPool pool = ctx.pool(processes)) {
            System.out.println("main: a pool of " + pool.processes() + " (cpuCount() - 1, at least 2)");

            List<Squared> squares = pool.map(PoolMap::square, range(10));
            System.out.println("map(square, 0..9) = " + squares.stream().map(Squared::square).toList()
                    + " in worker pids " + new TreeSet<>(squares.stream().map(Squared::pid).toList()));

            List<Squared> chunked = pool.map(PoolMap::square, range(CHUNKED_ITEMS), CHUNKSIZE);
            System.out.println("map(square, 0.." + (CHUNKED_ITEMS - 1) + ", chunksize=" + CHUNKSIZE + ") = "
                    + chunked.stream().map(Squared::square).toList());
            for (int start = 0; start < CHUNKED_ITEMS; start += CHUNKSIZE) {
                List<Squared> chunk = chunked.subList(start, start + CHUNKSIZE);
                System.out.println("  chunk " + chunk.getFirst().x() + ".." + chunk.getLast().x() + " ran in worker pids "
                        + new TreeSet<>(chunk.stream().map(Squared::pid).toList()));
            }

            List<Map.Entry<Integer, Integer>> pairs = List.of(Map.entry(2, 10), Map.entry(3, 3), Map.entry(10, 2),
                    Map.entry(7, 0));
            System.out.println("starmap(power, " + pairs + ") = " + pool.starmap(PoolMap::power, pairs));

            Iterator<Squared> lazily = pool.imap(PoolMap::square, range(5));
            List<Integer> inOrder = new ArrayList<>();
            lazily.forEachRemaining(s -> inOrder.add(s.square()));
            System.out.println("imap(square, 0..4) = " + inOrder);

            List<Integer> asDone = new ArrayList<>();
            pool.imapUnordered(PoolMap::square, range(5), 1).forEachRemaining(s -> asDone.add(s.square()));
            System.out.println("imapUnordered(square, 0..4) = " + asDone + " in the order they completed; sorted "
                    + asDone.stream().sorted().toList());
        }
        System.out.println("main: the pool is closed (shutdown and wait), its workers are gone");
    }

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }
}
