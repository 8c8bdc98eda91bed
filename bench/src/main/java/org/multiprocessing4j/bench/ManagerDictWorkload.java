package org.multiprocessing4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import org.multiprocessing4j.Manager;

/**
 * Round trips to a manager's dict: the Java side of {@code bench/python/manager_dict.py}.
 *
 * <p>Shape (keep in step with the script's docstring): {@code ctx.manager()} started (untimed);
 * {@code d = manager.dict()}; one run = 2,500 times {@code d.put("k", i)} then {@code d.get("k")} (5,000
 * round trips, each checked, the message built only on a mismatch); warm-up, one run, untimed; then
 * {@code --n} timed runs. Reports {@code round_trips_per_s}.
 */
public final class ManagerDictWorkload {
    static final int PAIRS = 2_500;

    private ManagerDictWorkload() {}

    static void run(ConcurrentMap<String, Integer> d, int pairs) {
        for (int i = 0; i < pairs; i++) {
            d.put("k", i);
            if (d.get("k") != i) { // the message is built only on a mismatch, here as in the script
                WorkloadMain.check(false, "d.get(\"k\") == " + i);
            }
        }
    }

    public static void main(String[] args) {
        WorkloadMain w = WorkloadMain.of(args, 5);
        Map<String, Object> out = w.header("manager_dict");
        out.put("count", 2 * PAIRS);
        List<Double> perSecond = new ArrayList<>();
        List<Double> millis = new ArrayList<>();
        try (Manager manager = w.ctx.manager()) {
            ConcurrentMap<String, Integer> d = manager.dict();
            run(d, PAIRS);
            for (int i = 0; i < w.n; i++) {
                long t0 = System.nanoTime();
                run(d, PAIRS);
                long t = System.nanoTime() - t0;
                millis.add(t / 1e6);
                perSecond.add(2 * PAIRS / (t / 1e9));
            }
        }
        WorkloadMain.series(out, "round_trips", Row.Unit.PER_S, perSecond);
        WorkloadMain.series(out, "time", Row.Unit.MS, millis);
        WorkloadMain.emit(out);
    }
}
