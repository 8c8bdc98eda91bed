package org.multiprocessing4j.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessPool;

/**
 * A pool of three worker processes running 21 tasks: seed 000 ("进程池", {@code apply_async},
 * {@code close} and {@code join}), with seed 001 §6 and seed 002 §2 saying the same. At most three
 * tasks run at a time, and the workers are reused: 21 tasks, at most three distinct pids, none of them
 * the main process's. {@code shutdown()} is Python's {@code close()} (no new tasks) and
 * {@code awaitTermination} its {@code join()} (wait for the queued ones).
 *
 * <p>The Python original:
 * <pre>{@code
 * def work(count):
 *     print('\'work\' 函数 第 {} 次执行,进程号为 {}'.format(count, os.getpid()))
 *     time.sleep(3)
 *
 * if __name__ == '__main__':
 *     pool = multiprocessing.Pool(3)      # at most 3 processes at a time
 *     for i in range(21):
 *         pool.apply_async(func=work, args=(i,))
 *     pool.close()
 *     pool.join()
 * }</pre>
 */
public final class PoolApplyAsync {
    private static final int PROCESSES = 3;
    private static final int TASKS = 21;
    private static final long WORK_MILLIS = 200;

    private PoolApplyAsync() {}

    /** The task: runs in a worker, and says which. Returns the worker's pid so that main can count them. */
    static long work(int count) {
        System.out.println("'work' task " + count + " runs in worker pid=" + Work.pid());
        Work.sleep(WORK_MILLIS);
        return Work.pid();
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("main: pid=" + Work.pid());
        ProcessPool pool = Multiprocessing.local().pool(PROCESSES);
        List<CompletableFuture<Long>> results = new ArrayList<>();
        for (int i = 0; i < TASKS; i++) {
            int count = i;
            results.add(pool.applyAsync(() -> work(count)));
        }
        System.out.println("main: " + TASKS + " tasks submitted to a pool of " + pool.processes()
                + "; shutdown() (Python's close()), then awaitTermination() (Python's join())");
        pool.shutdown();
        boolean terminated = pool.awaitTermination(1, TimeUnit.MINUTES);
        System.out.println("main: awaitTermination returned " + terminated + ", every task done: "
                + results.stream().allMatch(CompletableFuture::isDone));

        Set<Long> pids = new TreeSet<>();
        results.forEach(r -> pids.add(r.join()));
        System.out.println("main: " + TASKS + " tasks ran in " + pids.size() + " distinct worker pids " + pids
                + " (a pool of " + PROCESSES + " reuses its workers)");
    }
}
