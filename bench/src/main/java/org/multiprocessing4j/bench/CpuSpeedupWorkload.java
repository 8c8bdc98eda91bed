package org.multiprocessing4j.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.multiprocessing4j.ProcessPool;

/**
 * Pure-CPU work spread over two workers, items of a given duration: the Java side of
 * {@code bench/python/cpu_speedup.py}.
 *
 * <p>Shape (keep in step with the script's docstring): the task is {@link #countPrimes} of a bound
 * (trial division by every {@code d} with {@code d × d ≤ k}), the same algorithm on both sides;
 * {@code --items} items (16 coarse, 64 fine), each of {@code --item-ms} (100 coarse, 5 fine) on this
 * side: the bound is calibrated here, in the run ({@link #calibrate}: one item timed alone, the bound
 * scaled by (target ÷ time)^(2/3), the cost growing as bound^1.5, six times, the last bound kept), so
 * that both sides run items of the same duration whatever each language's speed. Warm-up, untimed:
 * whole rounds as below, serial and parallel, until at least {@code --warm-up-ms} (default
 * {@value #WARM_UP_MS}; the fine row 6,000, quick 3,000) have passed, at least one (the JIT compilers of this JVM
 * and of the workers need it; the same rule as the script's: see {@code bench/README.md}, "The CPU
 * rows' warm-up"), with the calibration run before and after it. Then {@code --n} times: serial, every item
 * in this process, one after the other; parallel, {@code map(countPrimes, items, 1)} on the same
 * {@code Pool(2)}; speed-up = serial ÷ parallel (ideal: 2). Reports {@code speedup_x}, both times in
 * ms, the ideal parallel time (serial ÷ 2), the bound and one item's calibrated time.
 */
public final class CpuSpeedupWorkload {
    static final long WARM_UP_MS = 1_000;
    static final int CALIBRATION_STEPS = 6;

    private CpuSpeedupWorkload() {}

    public static void main(String[] args) throws Exception {
        WorkloadMain run = WorkloadMain.of(args, 3);
        int count = run.intOption("items", 16);
        double itemMs = Double.parseDouble(run.options.getOrDefault("item-ms", "100"));
        int bound = (int) calibrate(itemMs, 20_000)[0];
        List<Integer> items = Collections.nCopies(count, bound);
        List<Double> serial = new ArrayList<>();
        List<Double> parallel = new ArrayList<>();
        List<Double> ideal = new ArrayList<>();
        List<Double> speedup = new ArrayList<>();
        double measuredMs;
        long warmUpMs = run.intOption("warm-up-ms", (int) WARM_UP_MS);
        try (ProcessPool pool = run.ctx.pool(WorkloadMain.PROCESSES)) {
            long warmUpEnd = System.nanoTime() + warmUpMs * 1_000_000;
            int expected = countPrimes(bound);
            do {
                round(pool, items, expected);
            } while (System.nanoTime() - warmUpEnd < 0);
            double[] calibrated = calibrate(itemMs, bound);
            bound = (int) calibrated[0];
            measuredMs = calibrated[1];
            expected = countPrimes(bound);
            items = Collections.nCopies(count, bound);
            for (int i = 0; i < run.n; i++) {
                long[] nanos = round(pool, items, expected);
                serial.add(nanos[0] / 1e6);
                parallel.add(nanos[1] / 1e6);
                ideal.add(nanos[0] / 1e6 / WorkloadMain.PROCESSES);
                speedup.add((double) nanos[0] / nanos[1]);
            }
        }
        Map<String, Object> out = run.header("cpu_speedup");
        out.put("processes", WorkloadMain.PROCESSES);
        out.put("items", items.size());
        out.put("bound", bound);
        out.put("item_ms", measuredMs);
        WorkloadMain.series(out, "speedup", Row.Unit.TIMES, speedup);
        WorkloadMain.series(out, "serial", Row.Unit.MS, serial);
        WorkloadMain.series(out, "parallel", Row.Unit.MS, parallel);
        WorkloadMain.series(out, "ideal", Row.Unit.MS, ideal);
        WorkloadMain.emit(out);
    }

    /** {bound, ms}: the bound whose countPrimes takes about {@code itemMs} here, and that time. */
    static double[] calibrate(double itemMs, int bound) {
        for (int i = 0; i < CALIBRATION_STEPS; i++) {
            long t0 = System.nanoTime();
            countPrimes(bound);
            double tookMs = (System.nanoTime() - t0) / 1e6;
            bound = Math.max(1_000, (int) (bound * Math.pow(itemMs / tookMs, 2.0 / 3)));
        }
        long t0 = System.nanoTime();
        countPrimes(bound);
        return new double[] {bound, (System.nanoTime() - t0) / 1e6};
    }

    /**
     * One round, checked: {serial ns, parallel ns}. The warm-up and the timed rounds run this one method,
     * so that no new compilation of the loop (an OSR of {@code main}) lands in the first timed round.
     */
    private static long[] round(ProcessPool pool, List<Integer> items, int expected) {
        long t0 = System.nanoTime();
        List<Integer> counts = new ArrayList<>(items.size());
        for (int bound : items) {
            counts.add(countPrimes(bound));
        }
        long t1 = System.nanoTime();
        check(counts, items.get(0), expected);
        long t2 = System.nanoTime();
        List<Integer> pooled = pool.map(CpuSpeedupWorkload::countPrimes, items, 1);
        long t3 = System.nanoTime();
        check(pooled, items.get(0), expected);
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

    private static void check(List<Integer> counts, int bound, int expected) {
        for (int c : counts) {
            WorkloadMain.check(c == expected, "countPrimes(" + bound + ") gave " + c + ", not " + expected);
        }
    }
}
