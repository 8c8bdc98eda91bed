package org.multiprocessing4j.examples;

import java.io.Serializable;
import java.util.List;
import java.util.stream.IntStream;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessPool;
import org.multiprocessing4j.SerializableFunction;

/**
 * CPU-bound and IO-bound work through pools: seed 003 ("测试多进程计算效果: 进程池运行 … 普通计算", the
 * pool's time against the plain loop's) and seed 001 part 二 (CPU-bound work wants as many processes as
 * CPUs, IO-bound work more). Unlike {@link CpuVsIo}, the workers are started once and reused, so once
 * the pool is up a task costs no JVM start. The timings printed are this machine's; what they show is
 * the shape: CPU-bound work speeds up to about the CPU count, IO-bound work (waiting) past it.
 *
 * <p>The Python original (the seed's idea, as code):
 * <pre>{@code
 * def cpu_task(n):
 *     return sum(1 for i in range(2, n) if is_prime(i))
 *
 * def io_task(seconds):
 *     time.sleep(seconds)
 *     return os.getpid()
 *
 * if __name__ == '__main__':
 *     start = time.time(); [cpu_task(N) for i in range(2 * cpu_count())]; serial = time.time() - start
 *     with Pool(cpu_count()) as pool:
 *         start = time.time(); pool.map(cpu_task, [N] * (2 * cpu_count())); print(serial, time.time() - start)
 *         start = time.time(); pool.map(io_task, [0.2] * (4 * cpu_count())); print(time.time() - start)
 *     with Pool(4 * cpu_count()) as pool:
 *         start = time.time(); pool.map(io_task, [0.2] * (4 * cpu_count())); print(time.time() - start)
 * }</pre>
 *
 * <p>The CPU pool has {@code cpuCount()} workers, at most {@value #MAX_PROCESSES}, so the example stays
 * short on a large machine, and gets two CPU-bound tasks per worker (each about 0.3 s of work). The IO
 * pool has four times as many workers, at most {@value #MAX_IO_PROCESSES}, and as many tasks, each a
 * 0.2 s wait.
 */
public final class PoolCpuVsIo {
    private static final int MAX_PROCESSES = 8;
    private static final int PRIME_LIMIT = 2_000_000;
    private static final int MAX_IO_PROCESSES = 16;
    private static final int IO_MILLIS = 200;

    private PoolCpuVsIo() {}

    /** What a task sends back: its answer and the pid of the process that computed it. */
    record Done(int answer, long pid) implements Serializable {}

    static Done cpuTask(int limit) {
        return new Done(Work.countPrimes(limit), Work.pid());
    }

    static Done ioTask(int millis) {
        Work.sleep(millis);
        return new Done(millis, Work.pid());
    }

    public static void main(String[] args) {
        Context ctx = Multiprocessing.local();
        int cpuProcesses = Math.min(Multiprocessing.cpuCount(), MAX_PROCESSES);
        int cpuTasks = 2 * cpuProcesses;
        int ioProcesses = Math.min(4 * cpuProcesses, MAX_IO_PROCESSES); // as many IO-bound tasks
        System.out.println("main: pid=" + Work.pid() + ", cpuCount()=" + Multiprocessing.cpuCount());

        long start = System.nanoTime();
        List<Done> serialCpu = IntStream.range(0, cpuTasks).mapToObj(i -> cpuTask(PRIME_LIMIT)).toList();
        double cpuSerial = Work.secondsSince(start);
        report("CPU-bound", "serially in main", serialCpu, cpuSerial);

        start = System.nanoTime();
        List<Done> serialIo = IntStream.range(0, ioProcesses).mapToObj(i -> ioTask(IO_MILLIS)).toList();
        double ioSerial = Work.secondsSince(start);
        report("IO-bound", "serially in main", serialIo, ioSerial);

        try (ProcessPool pool = started(ctx, cpuProcesses)) {
            double cpuPool = timed(pool, "CPU-bound", PoolCpuVsIo::cpuTask, cpuTasks, PRIME_LIMIT);
            double ioSmall = timed(pool, "IO-bound", PoolCpuVsIo::ioTask, ioProcesses, IO_MILLIS);
            System.out.printf("CPU-bound: serial %.2f s, pool of %d %.2f s, speed-up %.2fx%n",
                    cpuSerial, cpuProcesses, cpuPool, cpuSerial / cpuPool);
            System.out.printf("IO-bound: serial %.2f s, pool of %d %.2f s, speed-up %.2fx%n",
                    ioSerial, cpuProcesses, ioSmall, ioSerial / ioSmall);
        }
        try (ProcessPool pool = started(ctx, ioProcesses)) {
            double ioBig = timed(pool, "IO-bound", PoolCpuVsIo::ioTask, ioProcesses, IO_MILLIS);
            System.out.printf("IO-bound: serial %.2f s, pool of %d %.2f s, speed-up %.2fx "
                    + "(more processes than CPUs: the waits overlap)%n", ioSerial, ioProcesses, ioBig, ioSerial / ioBig);
        }
    }

    /**
     * A pool that has run a warm-up task per worker, so that the timings after it measure the work rather
     * than JVMs starting: each task waits, so that the workers that are up do not take them all.
     */
    private static ProcessPool started(Context ctx, int processes) {
        long start = System.nanoTime();
        ProcessPool pool = ctx.pool(processes);
        pool.map(PoolCpuVsIo::ioTask, IntStream.range(0, processes).mapToObj(i -> IO_MILLIS).toList(), 1);
        System.out.printf("main: a pool of %d workers started and ran %d warm-up tasks in %.2f s%n", processes,
                processes, Work.secondsSince(start));
        return pool;
    }

    /** Runs {@code tasks} copies of {@code fn(arg)} through {@code pool.map}, one per task, and reports them. */
    private static double timed(ProcessPool pool, String kind, SerializableFunction<Integer, Done> fn, int tasks,
            int arg) {
        long start = System.nanoTime();
        List<Done> done = pool.map(fn, IntStream.range(0, tasks).mapToObj(i -> arg).toList(), 1);
        double seconds = Work.secondsSince(start);
        report(kind, "in a pool of " + pool.processes(), done, seconds);
        return seconds;
    }

    private static void report(String kind, String where, List<Done> done, double seconds) {
        System.out.printf("%s: %d tasks %s: %.2f s, answers %s, pids %s%n", kind, done.size(), where, seconds,
                done.stream().map(Done::answer).distinct().toList(),
                done.stream().map(Done::pid).distinct().sorted().toList());
    }
}
