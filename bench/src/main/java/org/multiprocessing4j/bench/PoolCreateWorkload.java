package org.multiprocessing4j.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.multiprocessing4j.ProcessPool;

/**
 * Pool creation up to its first result: the Java side of {@code bench/python/pool_create.py}.
 *
 * <p>Shape (keep in step with the script's docstring): warm-up, one {@code ctx.pool(2)} +
 * {@code apply(() -> 1)} + {@code close()}, untimed; then {@code --n} times: {@code t0}, {@code ctx.pool(2)},
 * {@code apply(() -> 1)} returns 1, {@code t1}; then {@code close()} (shutdown and wait), untimed.
 * Reports {@code create_first_ms}. The variant's start method is the runner's ({@code cold}, {@code aot}:
 * spawn; {@code warm}: warm spare, waiting before each creation until the spare has booted, as
 * {@link StartJoinWorkload} does).
 */
public final class PoolCreateWorkload {
    private static final Duration SPARE_WAIT = Duration.ofSeconds(60);

    private PoolCreateWorkload() {}

    public static void main(String[] args) throws Exception {
        WorkloadMain run = WorkloadMain.of(args, 7);
        boolean warm = run.variant.equals("warm");
        createAndApply(run, false);
        int spareWaits = 0;
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < run.n; i++) {
            spareWaits += warm && !Spares.awaitReady(SPARE_WAIT) ? 1 : 0;
            times.add(createAndApply(run, true));
        }
        Map<String, Object> out = run.header("pool_create");
        out.put("processes", WorkloadMain.PROCESSES);
        WorkloadMain.series(out, "create_first", Row.Unit.MS, times);
        out.put("spare_not_ready", spareWaits);
        WorkloadMain.emit(out);
    }

    /** Milliseconds from before the pool's creation to its first result; the close is not timed. */
    private static double createAndApply(WorkloadMain run, boolean timed) {
        long t0 = System.nanoTime();
        ProcessPool pool = run.ctx.pool(WorkloadMain.PROCESSES);
        try {
            Integer one = pool.apply(() -> 1);
            long t1 = System.nanoTime();
            WorkloadMain.check(one == 1, "apply(() -> 1) gave " + one);
            return timed ? (t1 - t0) / 1e6 : 0;
        } finally {
            pool.close();
        }
    }
}
