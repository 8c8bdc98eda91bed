package org.multiprocessing4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.multiprocessing4j.SerializableCallable;

/**
 * {@code ExecutorService.submit} of trivial tasks: the Java side of {@code bench/python/executor_submit.py}
 * (CPython's {@code ProcessPoolExecutor}).
 *
 * <p>Shape (keep in step with the script's docstring): {@code ctx.pool(2)} used as an
 * {@code ExecutorService}; one run = 5,000 {@code submit(() -> 1)}, then every {@code Future.get()}
 * summed (must be 5,000); warm-up, one run, untimed; then {@code --n} timed runs on the same pool.
 * Reports {@code tasks_per_s}.
 */
public final class ExecutorSubmitWorkload {
    static final int TASKS = 5_000;

    private ExecutorSubmitWorkload() {}

    public static void main(String[] args) throws Exception {
        SerializableCallable<Integer> one = () -> 1;
        WorkloadMain.of(args, 5).throughput("executor_submit", "tasks", TASKS, (pool, count) -> {
            List<Future<Integer>> futures = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                futures.add(pool.submit(one));
            }
            long sum = 0;
            for (Future<Integer> f : futures) {
                sum += f.get();
            }
            WorkloadMain.check(sum == count, "sum " + sum + " of " + count + " ones");
        });
    }
}
