package org.multiprocessing4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.Lock;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Manager;

/**
 * The seeds' count-down, end to end: the Java side of {@code bench/python/manager_countdown.py}.
 *
 * <p>Shape (keep in step with the script's docstring): one run = {@code ctx.manager()} started,
 * {@code d.put("count", 100)}, {@code lock = manager.lock()}, 100 child processes started, then all
 * joined, each taking 1 under the lock; the count checked to be 0; the manager closed. Timed from
 * before {@code manager()} to after {@code close()}; {@code --n} runs. Reports {@code countdown_ms}.
 */
public final class ManagerCountdownWorkload {
    static final int PROCESSES = 100;

    private ManagerCountdownWorkload() {}

    static void run(Context ctx) {
        try (Manager manager = ctx.manager()) {
            ConcurrentMap<String, Integer> d = manager.dict();
            Lock lock = manager.lock();
            d.put("count", PROCESSES);
            List<ChildProcess> children = new ArrayList<>();
            for (int i = 0; i < PROCESSES; i++) {
                children.add(ctx.process(() -> {
                    lock.lock();
                    try {
                        d.put("count", d.get("count") - 1);
                    } finally {
                        lock.unlock();
                    }
                }).start());
            }
            children.forEach(ChildProcess::join);
            WorkloadMain.check(d.get("count") == 0, "count " + d.get("count") + ", not 0");
        }
    }

    public static void main(String[] args) {
        WorkloadMain w = WorkloadMain.of(args, 3);
        Map<String, Object> out = w.header("manager_countdown");
        out.put("processes", PROCESSES);
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < w.n; i++) {
            long t0 = System.nanoTime();
            run(w.ctx);
            millis.add((System.nanoTime() - t0) / 1e6);
        }
        WorkloadMain.series(out, "countdown", Row.Unit.MS, millis);
        WorkloadMain.emit(out);
    }
}
