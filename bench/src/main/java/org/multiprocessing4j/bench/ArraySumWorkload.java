package org.multiprocessing4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.SharedDoubleArray;
import org.multiprocessing4j.SharedLongArray;

/**
 * A child summing a big shared array: the Java side of {@code bench/python/array_sum.py}.
 *
 * <p>Shape (keep in step with the script's docstring): the parent makes a shared array of
 * {@code --mib} MiB (default 256) of 64-bit integers, element {@code i} = {@code i}, filled untimed
 * (CPython: {@code shared_memory.SharedMemory} viewed as {@code 'q'}). One child process attaches it
 * and sums every element: once untimed (warm-up: the mapping's page faults, the JIT), then {@code --n}
 * timed sums, each checked against {@code count × (count − 1) / 2}; here the loop is
 * {@code sum += a.get(i)}, CPython's is the built-in {@code sum()} over the memoryview. The child writes
 * each sum's time into a small shared array; reports {@code sum_ms} per sum.
 */
public final class ArraySumWorkload {
    private ArraySumWorkload() {}

    public static void main(String[] args) throws Exception {
        WorkloadMain run = WorkloadMain.of(args, 3);
        int mib = run.intOption("mib", 256);
        int count = mib * (1024 * 1024 / 8);
        int n = run.n;
        List<Double> millis = new ArrayList<>();
        try (SharedLongArray array = run.ctx.sharedLongArray(count);
                SharedDoubleArray times = run.ctx.sharedDoubleArray(n)) {
            for (int i = 0; i < count; i++) {
                array.set(i, i);
            }
            ChildProcess child = run.ctx.process(() -> sumRepeatedly(array, times, n)).start();
            child.join();
            WorkloadMain.check(child.exitCode().orElse(-1) == 0, "the child exited with " + child.exitCode());
            for (double t : times.toArray()) {
                millis.add(t);
            }
        }
        Map<String, Object> out = run.header("array_sum");
        out.put("mib", mib);
        out.put("count", count);
        WorkloadMain.series(out, "sum", Row.Unit.MS, millis);
        WorkloadMain.emit(out);
    }

    /** In the child: a warm-up sum, then {@code n} timed ones, each checked. */
    static void sumRepeatedly(SharedLongArray array, SharedDoubleArray times, int n) {
        long expected = (long) array.length() * (array.length() - 1) / 2;
        WorkloadMain.check(sum(array) == expected, "warm-up sum");
        for (int k = 0; k < n; k++) {
            long t0 = System.nanoTime();
            long s = sum(array);
            long t = System.nanoTime() - t0;
            WorkloadMain.check(s == expected, "sum " + s + ", expected " + expected);
            times.set(k, t / 1e6);
        }
    }

    static long sum(SharedLongArray array) {
        long s = 0;
        for (int i = 0, length = array.length(); i < length; i++) {
            s += array.get(i);
        }
        return s;
    }
}
