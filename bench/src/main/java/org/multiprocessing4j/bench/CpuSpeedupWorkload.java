package org.multiprocessing4j.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.multiprocessing4j.ProcessPool;

/**
 * Pure-CPU work spread over two workers: the Java side of {@code bench/python/cpu_speedup.py}.
 *
 * <p>Shape (keep in step with the script's docstring): the task is {@link #countPrimes} of
 * {@value #BOUND} (trial division by every {@code d} with {@code d × d ≤ k}; 9,592 primes), the same
 * algorithm and bound on both sides; {@code 2 × --per-worker} items (default 2 × 8). Warm-up, untimed:
 * whole rounds as below, serial and parallel, until at least {@value #WARM_UP_MS} ms have passed, at
 * least one; the same rule as the script's. The JIT compilers of this JVM and of the workers need it:
 * each item takes ~5 ms here against ~100 ms in CPython, so one round is ~0.13 s, and right after one
 * the parent's compilers still take 5–15 ms of the two cores in every round (docs/pool-bench.md);
 * CPython's one round already lasts seconds. Then {@code --n}
 * times: serial, every item in this process, one after the other; parallel, {@code map(countPrimes,
 * items, 1)} on the same {@code Pool(2)}; speed-up = serial ÷ parallel. Reports {@code speedup_x},
 * and both times in ms.
 */
public final class CpuSpeedupWorkload {
    static final int BOUND = 100_000;
    static final int PRIMES_BELOW_BOUND = 9_592;
    static final long WARM_UP_MS = 1_000;

    private CpuSpeedupWorkload() {}

    public static void main(String[] args) throws Exception {
        WorkloadMain run = WorkloadMain.of(args, 3);
        int perWorker = run.intOption("per-worker", 8);
        List<Integer> items = Collections.nCopies(WorkloadMain.PROCESSES * perWorker, BOUND);
        List<Double> serial = new ArrayList<>();
        List<Double> parallel = new ArrayList<>();
        List<Double> speedup = new ArrayList<>();
        try (ProcessPool pool = run.ctx.pool(WorkloadMain.PROCESSES)) {
            long warmUpEnd = System.nanoTime() + WARM_UP_MS * 1_000_000;
            do {
                round(pool, items);
            } while (System.nanoTime() - warmUpEnd < 0);
            for (int i = 0; i < run.n; i++) {
                long[] nanos = round(pool, items);
                serial.add(nanos[0] / 1e6);
                parallel.add(nanos[1] / 1e6);
                speedup.add((double) nanos[0] / nanos[1]);
            }
        }
        Map<String, Object> out = run.header("cpu_speedup");
        out.put("processes", WorkloadMain.PROCESSES);
        out.put("items", items.size());
        out.put("bound", BOUND);
        WorkloadMain.series(out, "speedup", Row.Unit.TIMES, speedup);
        WorkloadMain.series(out, "serial", Row.Unit.MS, serial);
        WorkloadMain.series(out, "parallel", Row.Unit.MS, parallel);
        WorkloadMain.emit(out);
    }

    /**
     * One round, checked: {serial ns, parallel ns}. The warm-up and the timed rounds run this one method,
     * so that no new compilation of the loop (an OSR of {@code main}) lands in the first timed round.
     */
    private static long[] round(ProcessPool pool, List<Integer> items) {
        long t0 = System.nanoTime();
        List<Integer> counts = new ArrayList<>(items.size());
        for (int bound : items) {
            counts.add(countPrimes(bound));
        }
        long t1 = System.nanoTime();
        check(counts);
        long t2 = System.nanoTime();
        List<Integer> pooled = pool.map(CpuSpeedupWorkload::countPrimes, items, 1);
        long t3 = System.nanoTime();
        check(pooled);
        return new long[] {t1 - t0, t3 - t2};
    }

    /** The primes below {@code bound}, by trial division: the task, as {@code count_primes} in the script. */
    static int countPrimes(int bound) {
        int count = 0;
        for (int k = 2; k < bound; k++) {
            boolean prime = true;
            for (int d = 2; d * d <= k; d++) {
                if (k % d == 0) {
                    prime = false;
                    break;
                }
            }
            if (prime) {
                count++;
            }
        }
        return count;
    }

    private static void check(List<Integer> counts) {
        for (int c : counts) {
            WorkloadMain.check(c == PRIMES_BELOW_BOUND, "countPrimes(" + BOUND + ") gave " + c);
        }
    }
}
