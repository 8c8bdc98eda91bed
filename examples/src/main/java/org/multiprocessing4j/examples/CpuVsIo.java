package org.multiprocessing4j.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.SerializableRunnable;

/**
 * CPU-bound versus IO-bound work, one after another versus in processes: seed 001, part 二
 * ("计算(CPU)密集型和IO密集型"). CPU-bound work gains from processes up to the number of CPUs; IO-bound
 * work (here, waiting) gains from more processes than CPUs, since the waiting overlaps. Each process
 * pays for starting a JVM, so the speed-ups printed stay below the ideal.
 *
 * <p>The Python original (the seed's idea, as code):
 * <pre>{@code
 * def cpu_task(n):                  # 计算密集型: all CPU
 *     return sum(1 for i in range(2, n) if is_prime(i))
 *
 * def io_task(n):                   # IO密集型: mostly waiting
 *     time.sleep(0.5)
 *
 * if __name__ == '__main__':
 *     for task in (cpu_task, io_task):
 *         start = time.time()
 *         for i in range(N): task(LIMIT)                     # serial
 *         serial = time.time() - start
 *         start = time.time()
 *         ps = [Process(target=task, args=(LIMIT,)) for i in range(N)]
 *         for p in ps: p.start()
 *         for p in ps: p.join()
 *         print(task.__name__, serial, time.time() - start)  # in processes
 * }</pre>
 *
 * <p>The number of CPU-bound tasks is {@code cpuCount()}, capped at {@value #MAX_CPU_TASKS} so the
 * example stays short on a large machine; each task is about a second of work.
 */
public final class CpuVsIo {
    private static final int MAX_CPU_TASKS = 4;
    private static final int PRIME_LIMIT = 4_500_000;
    private static final int IO_TASKS = 4;
    private static final long IO_MILLIS = 500;

    private CpuVsIo() {}

    static void cpuTask(int i) {
        int primes = Work.countPrimes(PRIME_LIMIT);
        System.out.println("  cpu task " + i + ": " + primes + " primes below " + PRIME_LIMIT + " (pid=" + Work.pid() + ")");
    }

    static void ioTask(int i) {
        Work.sleep(IO_MILLIS);
        System.out.println("  io task " + i + ": waited " + IO_MILLIS + " ms (pid=" + Work.pid() + ")");
    }

    public static void main(String[] args) {
        Context ctx = Multiprocessing.local();
        int cpuTasks = Math.min(Multiprocessing.cpuCount(), MAX_CPU_TASKS);
        System.out.println("main: pid=" + Work.pid() + ", cpuCount()=" + Multiprocessing.cpuCount());

        double startCost = inProcesses(ctx, 1, i -> () -> { });
        System.out.printf("main: starting and joining one empty process takes %.2f s (a JVM boots)%n", startCost);

        compare(ctx, "CPU-bound", cpuTasks, i -> () -> cpuTask(i));
        compare(ctx, "IO-bound", IO_TASKS, i -> () -> ioTask(i));
    }

    /** Runs {@code tasks} tasks serially here, then each in its own process, and prints both timings. */
    private static void compare(Context ctx, String kind, int tasks, IntFunction<SerializableRunnable> task) {
        System.out.println(kind + ": " + tasks + " tasks, one after another in this process:");
        double serial = serially(tasks, task);
        System.out.println(kind + ": the same " + tasks + " tasks, each in its own process:");
        double parallel = inProcesses(ctx, tasks, task);
        System.out.printf("%s: serial %.2f s, %d processes %.2f s, speed-up %.2fx%n",
                kind, serial, tasks, parallel, serial / parallel);
    }

    private static double serially(int tasks, IntFunction<SerializableRunnable> task) {
        long start = System.nanoTime();
        for (int i = 0; i < tasks; i++) {
            task.apply(i).run();
        }
        return Work.secondsSince(start);
    }

    private static double inProcesses(Context ctx, int tasks, IntFunction<SerializableRunnable> task) {
        long start = System.nanoTime();
        List<ChildProcess> processes = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            processes.add(ctx.process(task.apply(i)).start());
        }
        processes.forEach(ChildProcess::join);
        double seconds = Work.secondsSince(start);
        for (ChildProcess p : processes) {
            if (p.exitCode().orElseThrow() != 0) {
                throw new IllegalStateException(p + " failed: a timing of failed work means nothing");
            }
        }
        return seconds;
    }
}
