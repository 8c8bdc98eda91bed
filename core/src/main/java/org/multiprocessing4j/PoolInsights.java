package org.multiprocessing4j;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Where a pool's time went, as mpire's {@code print_insights}: {@link ProcessPool#insights()}.
 *
 * <p>Per worker process: the tasks it ran (a chunk counts its items), and its time starting up (from
 * launch until it could take work, initializer included), working (in the tasks' code), waiting for
 * work (blocked on the pool's connection), deserializing tasks and serializing results, and sending
 * results. Each part's share is of the worker's lifetime; the rest ("other") is the worker's own
 * bookkeeping. Measured with counters the worker keeps and sends with its results, so the figures of
 * a worker are as of its last answer.
 *
 * @param wall    since the pool was built
 * @param workers every worker the pool has had (the oldest replaced ones merged away beyond a bound)
 * @param slowest the slowest tasks (by time working), slowest first, at most {@value #SLOWEST}
 */
public record PoolInsights(Duration wall, List<Worker> workers, List<SlowTask> slowest) {
    /** How many slow tasks are kept. */
    public static final int SLOWEST = 5;

    public PoolInsights {
        workers = List.copyOf(workers);
        slowest = List.copyOf(slowest);
    }

    /**
     * One worker process (or, for {@link #totals()}, all of them).
     *
     * @param pid      its pid ({@code -1} for totals and for merged replaced workers)
     * @param alive    whether it is still one of the pool's workers
     * @param tasks    items it ran (a chunk counts its items)
     * @param lifetime from its launch until it ended, or until now
     */
    public record Worker(long pid, String name, boolean alive, long tasks, Duration lifetime, Duration startup,
            Duration working, Duration waiting, Duration deserializing, Duration serializing, Duration sending) {

        /** {@code part}'s share of this worker's lifetime, 0 to 1. */
        public double share(Duration part) {
            long life = lifetime.toNanos();
            return life <= 0 ? 0 : Math.min(1, (double) part.toNanos() / life);
        }
    }

    /**
     * One slow task: which worker ran it, how long its code ran, and a short text of its arguments
     * (a chunk's items, a lambda's captured values).
     */
    public record SlowTask(long pid, long taskId, Duration duration, String arguments) {}

    /** The sums over every worker; shares of it are of all workers' lifetimes together. */
    public Worker totals() {
        long tasks = 0;
        long[] parts = new long[7];
        for (Worker w : workers) {
            tasks += w.tasks();
            parts[0] += w.lifetime().toNanos();
            parts[1] += w.startup().toNanos();
            parts[2] += w.working().toNanos();
            parts[3] += w.waiting().toNanos();
            parts[4] += w.deserializing().toNanos();
            parts[5] += w.serializing().toNanos();
            parts[6] += w.sending().toNanos();
        }
        return new Worker(-1, "total", true, tasks, Duration.ofNanos(parts[0]), Duration.ofNanos(parts[1]),
                Duration.ofNanos(parts[2]), Duration.ofNanos(parts[3]), Duration.ofNanos(parts[4]),
                Duration.ofNanos(parts[5]), Duration.ofNanos(parts[6]));
    }

    /** A table of the workers, the totals with each part's share, and the slowest tasks. */
    public String summary() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "Pool insights: %d worker(s), wall time %s%n", workers.size(), seconds(wall)));
        s.append(String.format(Locale.ROOT, "%-8s %-16s %8s %9s %9s %9s %9s %9s %9s%n", "pid", "worker", "tasks",
                "startup", "working", "waiting", "deser.", "ser.", "sending"));
        for (Worker w : workers) {
            row(s, w);
        }
        Worker total = totals();
        row(s, total);
        s.append(String.format(Locale.ROOT, "%-8s %-16s %8s %8.1f%% %8.1f%% %8.1f%% %8.1f%% %8.1f%% %8.1f%%%n", "",
                "share of time", "", 100 * total.share(total.startup()), 100 * total.share(total.working()),
                100 * total.share(total.waiting()), 100 * total.share(total.deserializing()),
                100 * total.share(total.serializing()), 100 * total.share(total.sending())));
        if (!slowest.isEmpty()) {
            s.append("Slowest tasks:").append(System.lineSeparator());
            int i = 1;
            for (SlowTask t : slowest) {
                s.append(String.format(Locale.ROOT, "%2d. %s  pid %d  task %d  %s%n", i++, seconds(t.duration()),
                        t.pid(), t.taskId(), t.arguments()));
            }
        }
        return s.toString();
    }

    /** Prints {@link #summary()} (mpire's {@code print_insights}). */
    public void print(PrintStream out) {
        out.print(summary());
        out.flush();
    }

    @Override
    public String toString() {
        return summary();
    }

    private static void row(StringBuilder s, Worker w) {
        s.append(String.format(Locale.ROOT, "%-8s %-16s %8d %9s %9s %9s %9s %9s %9s%n", w.pid() < 0 ? "" : w.pid(),
                w.name() + (w.alive() || w.pid() < 0 ? "" : " (gone)"), w.tasks(), seconds(w.startup()),
                seconds(w.working()), seconds(w.waiting()), seconds(w.deserializing()), seconds(w.serializing()),
                seconds(w.sending())));
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3f s", d.toNanos() / 1e9);
    }
}
