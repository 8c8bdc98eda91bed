package org.multiprocessing4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.SharedLong;
import org.multiprocessing4j.SharedLongArray;

/**
 * A shared counter incremented by two processes: the Java side of {@code bench/python/value_increment.py}.
 *
 * <p>Shape (keep in step with the script's docstring): a shared counter ({@code ctx.sharedLong(0)});
 * two child processes, started once; rounds 0 … {@code --n}, round 0 the warm-up, untimed. In each
 * round both children wait at a start line (a shared round number they spin on), then each adds 1
 * {@code --count} times (default 1,000,000) with {@code incrementAndGet()} — CPython: {@code with
 * v.get_lock(): v.value += 1} — and records its start and end ({@code System.nanoTime}, CLOCK_MONOTONIC,
 * comparable across processes). The parent checks the total (exact: 2 × count per round, cumulative)
 * and reports {@code increments_per_s}: 2 × count ÷ (last end − first start), and that time in ms.
 */
public final class ValueIncrementWorkload {
    static final int PROCESSES = 2;
    /** ctl[GO]: the round the children may run; ctl[DONE]: children done, summed over rounds. */
    private static final int GO = 0;
    private static final int DONE = 1;

    private ValueIncrementWorkload() {}

    public static void main(String[] args) throws Exception {
        WorkloadMain run = WorkloadMain.of(args, 5);
        int count = run.intOption("count", 1_000_000);
        boolean underLock = run.flag("under-lock");
        int rounds = run.n + 1;
        List<Double> perSecond = new ArrayList<>();
        List<Double> millis = new ArrayList<>();
        try (SharedLong counter = run.ctx.sharedLong(0);
                SharedLongArray ctl = run.ctx.sharedLongArray(2);
                SharedLongArray times = run.ctx.sharedLongArray(rounds * PROCESSES * 2)) {
            List<ChildProcess> children = new ArrayList<>();
            for (int c = 0; c < PROCESSES; c++) {
                int child = c;
                children.add(run.ctx.process(() -> increment(counter, ctl, times, child, count, rounds, underLock)).start());
            }
            for (int r = 0; r < rounds; r++) {
                ctl.set(GO, r + 1);
                while (ctl.get(DONE) < (long) PROCESSES * (r + 1)) {
                    Thread.sleep(1); // the parent waits off the CPU: the children have both cores
                }
                long expected = (long) PROCESSES * count * (r + 1);
                WorkloadMain.check(counter.get() == expected, "count " + counter.get() + ", expected " + expected);
                long first = Long.MAX_VALUE;
                long last = Long.MIN_VALUE;
                for (int c = 0; c < PROCESSES; c++) {
                    first = Math.min(first, times.get(slot(r, c)));
                    last = Math.max(last, times.get(slot(r, c) + 1));
                }
                if (r > 0) {
                    double seconds = (last - first) / 1e9;
                    perSecond.add(PROCESSES * (double) count / seconds);
                    millis.add(seconds * 1e3);
                }
            }
            for (ChildProcess c : children) {
                c.join();
                WorkloadMain.check(c.exitCode().orElse(-1) == 0, "a child exited with " + c.exitCode());
            }
        }
        Map<String, Object> out = run.header(underLock ? "value_under_lock" : "value_increment");
        out.put("processes", PROCESSES);
        out.put("count", count);
        WorkloadMain.series(out, "increments", Row.Unit.PER_S, perSecond);
        WorkloadMain.series(out, "time", Row.Unit.MS, millis);
        WorkloadMain.emit(out);
    }

    private static int slot(int round, int child) {
        return (round * PROCESSES + child) * 2;
    }

    /** A child: per round, the start line, {@code count} increments, the times, done. */
    static void increment(SharedLong counter, SharedLongArray ctl, SharedLongArray times, int child, int count,
            int rounds, boolean underLock) {
        java.util.concurrent.locks.Lock lock = counter.lock();
        for (int r = 0; r < rounds; r++) {
            while (ctl.get(GO) < r + 1) {
                Thread.onSpinWait();
            }
            long t0 = System.nanoTime();
            if (underLock) {
                for (int i = 0; i < count; i++) {
                    lock.lock(); // Python's loop exactly: a plain read and write under the value's lock
                    try {
                        counter.set(counter.get() + 1);
                    } finally {
                        lock.unlock();
                    }
                }
            } else {
                for (int i = 0; i < count; i++) {
                    counter.incrementAndGet();
                }
            }
            long t1 = System.nanoTime();
            times.set(slot(r, child), t0);
            times.set(slot(r, child) + 1, t1);
            ctl.incrementAndGet(DONE);
        }
    }
}
