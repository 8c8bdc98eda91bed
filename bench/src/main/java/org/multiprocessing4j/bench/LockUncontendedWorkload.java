package org.multiprocessing4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.multiprocessing4j.ProcessLock;

/**
 * Uncontended acquire/release of a process lock in one process: the Java side of
 * {@code bench/python/lock_uncontended.py}.
 *
 * <p>Shape (keep in step with the script's docstring): {@code ctx.lock()}, in the one (parent)
 * process, no other; runs 0 … {@code --n}, run 0 the warm-up, untimed; each run {@code --count}
 * (default 2,000,000) times {@code lock()}, {@code unlock()} — CPython: {@code acquire()},
 * {@code release()} of {@code ctx.Lock()}. Reports {@code acquires_per_s} (count ÷ the run's time)
 * and the time in ms.
 */
public final class LockUncontendedWorkload {
    private LockUncontendedWorkload() {}

    public static void main(String[] args) throws Exception {
        WorkloadMain run = WorkloadMain.of(args, 5);
        int count = run.intOption("count", 2_000_000);
        List<Double> perSecond = new ArrayList<>();
        List<Double> millis = new ArrayList<>();
        try (ProcessLock lock = run.ctx.lock()) {
            for (int r = 0; r <= run.n; r++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    lock.lock();
                    lock.unlock();
                }
                long t = System.nanoTime() - t0;
                if (r > 0) {
                    perSecond.add(count / (t / 1e9));
                    millis.add(t / 1e6);
                }
            }
            WorkloadMain.check(lock.tryLock(), "the lock is free after the runs");
            lock.unlock();
        }
        Map<String, Object> out = run.header("lock_uncontended");
        out.put("count", count);
        WorkloadMain.series(out, "acquires", Row.Unit.PER_S, perSecond);
        WorkloadMain.series(out, "time", Row.Unit.MS, millis);
        WorkloadMain.emit(out);
    }
}
