package org.multiprocessing4j.examples;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessPool;
import org.multiprocessing4j.TaskTimeoutException;
import org.multiprocessing4j.WorkerLostException;

/**
 * What happens when tasks go wrong, where we do better than CPython. Seed 003 reports the problem
 * ("使用 pool.map 子进程 函数报错,导致整个 pool 挂了": an error in a worker brought the whole pool down)
 * and works around it by catching every exception inside the task. Here:
 * <ul>
 *   <li>a task that kills its own worker ({@code Runtime.halt}, {@code System.exit}, a crash) fails
 *       with {@link WorkerLostException}, giving the worker's pid and exit code; the other tasks
 *       complete and the pool replaces the worker. CPython's {@code Pool} waits forever for that task's
 *       result, and its {@code ProcessPoolExecutor} fails every pending task with
 *       {@code BrokenProcessPool};</li>
 *   <li>a task's exception is the cause of the {@code ExecutionException}, as with any
 *       {@code ExecutorService}, with the worker's stack trace ({@code apply} throws it as the cause of
 *       a {@code CompletionException});</li>
 *   <li>a task that overruns the pool's {@code taskTimeout} fails with {@link TaskTimeoutException};
 *       its worker is killed and replaced. CPython has no task timeout.</li>
 * </ul>
 *
 * <p>The Python original:
 * <pre>{@code
 * def ok(i):
 *     time.sleep(0.2)
 *     return os.getpid()
 *
 * def parse(text):
 *     return int(text)                       # ValueError for 'forty-two'
 *
 * if __name__ == '__main__':
 *     with Pool(2) as pool:
 *         results = [pool.apply_async(ok, (i,)) for i in range(4)]
 *         lost = pool.apply_async(os._exit, (3,))
 *         print([r.get() for r in results])
 *         lost.get()                         # never returns: the pool does not notice the dead worker
 *         pool.apply_async(parse, ('forty-two',)).get()   # raises ValueError, re-raised here
 * }</pre>
 */
public final class PoolRobustness {
    private static final int PROCESSES = 2;
    private static final int OK_TASKS = 4;
    private static final long OK_MILLIS = 200;
    private static final int HALT_CODE = 3;
    private static final Duration TASK_TIMEOUT = Duration.ofMillis(1500);
    private static final long OVERRUN_MILLIS = 60_000;

    private PoolRobustness() {}

    static long ok(int i) {
        Work.sleep(OK_MILLIS);
        System.out.println("task ok-" + i + " done in worker pid=" + Work.pid());
        return Work.pid();
    }

    static long halt() {
        System.out.println("task halt runs in worker pid=" + Work.pid());
        System.err.println("worker pid=" + Work.pid() + ": Runtime.halt(" + HALT_CODE + "), on purpose");
        Runtime.getRuntime().halt(HALT_CODE);
        return -1; // never reached
    }

    static int parse(String text) {
        return Integer.parseInt(text);
    }

    static String overrun() {
        System.out.println("task overrun starts in worker pid=" + Work.pid() + ", sleeps " + OVERRUN_MILLIS + " ms");
        Work.sleep(OVERRUN_MILLIS);
        return "should not happen: the task outlived its timeout";
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("main: pid=" + Work.pid());
        try (ProcessPool pool = Multiprocessing.local().poolBuilder().processes(PROCESSES).taskTimeout(TASK_TIMEOUT)
                .build()) {
            workerLost(pool);
            taskException(pool);
            taskTimeout(pool);
            long after = pool.apply(Work::pid);
            System.out.println("main: the pool still works: apply ran in worker pid=" + after + "; workerPids() = "
                    + new TreeSet<>(pool.workerPids()) + " (a replacement is listed once its JVM has started)");
        }
    }

    /** One task halts its worker; four others run beside it and complete. */
    private static void workerLost(ProcessPool pool) throws InterruptedException {
        List<CompletableFuture<Long>> oks = new ArrayList<>();
        for (int i = 0; i < OK_TASKS / 2; i++) {
            int n = i;
            oks.add(pool.applyAsync(() -> ok(n)));
        }
        CompletableFuture<Long> lost = pool.applyAsync(PoolRobustness::halt);
        for (int i = OK_TASKS / 2; i < OK_TASKS; i++) {
            int n = i;
            oks.add(pool.applyAsync(() -> ok(n)));
        }
        try {
            System.out.println("should not happen: halt() returned " + lost.get());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof WorkerLostException w)) {
                throw new IllegalStateException("expected a WorkerLostException", e);
            }
            System.out.println("halt task: ExecutionException caused by WorkerLostException: pid=" + w.pid()
                    + " exitCode=" + w.exitCode());
            System.out.println("  message: " + w.getMessage().lines().findFirst().orElse(""));
            w.stderrTail().lines().forEach(line -> System.out.println("    " + line));
        }
        List<Long> pids = oks.stream().map(CompletableFuture::join).toList();
        System.out.println("the other " + pids.size() + " tasks completed, in worker pids " + new TreeSet<>(pids));
    }

    /** A task throws; the caller gets that exception, with the stack trace it had in the worker. */
    private static void taskException(ProcessPool pool) throws InterruptedException {
        try {
            System.out.println("should not happen: parsed " + pool.applyAsync(() -> parse("forty-two")).get());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            System.out.println("parse task: ExecutionException caused by " + cause.getClass().getName() + ": "
                    + cause.getMessage());
            System.out.println("  where it was thrown, in the worker:");
            Arrays.stream(cause.getStackTrace())
                    .filter(frame -> frame.getClassName().startsWith(PoolRobustness.class.getPackageName()))
                    .limit(2)
                    .forEach(frame -> System.out.println("    at " + frame));
        }
        try {
            System.out.println("should not happen: parsed " + pool.apply(() -> parse("")));
        } catch (CompletionException e) {
            System.out.println("apply: CompletionException caused by " + e.getCause().getClass().getName() + ": "
                    + e.getCause().getMessage());
        }
    }

    /** A task runs past the pool's timeout: it fails, and its worker is killed and replaced. */
    private static void taskTimeout(ProcessPool pool) throws InterruptedException {
        try {
            System.out.println(pool.applyAsync(PoolRobustness::overrun).get());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TaskTimeoutException t)) {
                throw new IllegalStateException("expected a TaskTimeoutException", e);
            }
            System.out.println("overrun task (taskTimeout " + TASK_TIMEOUT.toMillis() + " ms): ExecutionException "
                    + "caused by TaskTimeoutException: " + t.getMessage());
        }
    }
}
