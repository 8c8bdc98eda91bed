package org.multiprocessing4j.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessPool;

/**
 * What every Java side of a workload shares with its script ({@code bench/python/mp4jbench.py}): the
 * options ({@code --n}, {@code --variant}, {@code --dir}, the workload's own), the result line's
 * common fields and series, and the throughput shape of most pool rows.
 */
final class WorkloadMain {
    /** Workers of every pool row: Python's {@code Pool(2)}. */
    static final int PROCESSES = 2;

    final Map<String, String> options;
    final int n;
    final String variant;
    final Path dir;
    final Context ctx;

    private WorkloadMain(Map<String, String> options, int defaultN) {
        this.options = options;
        this.n = Integer.parseInt(options.getOrDefault("n", Integer.toString(defaultN)));
        if (n < 1) {
            throw new IllegalArgumentException("--n must be ≥ 1, was " + n);
        }
        this.variant = options.getOrDefault("variant", "cold");
        this.dir = Path.of(options.getOrDefault("dir", System.getProperty("java.io.tmpdir")));
        this.ctx = Multiprocessing.local();
    }

    static WorkloadMain of(String[] args, int defaultN) {
        return new WorkloadMain(parse(args), defaultN);
    }

    int intOption(String name, int defaultValue) {
        return Integer.parseInt(options.getOrDefault(name, Integer.toString(defaultValue)));
    }

    /**
     * {@code --threads virtual}: the workload's blocking calls run on virtual threads (the parent's and
     * the child's), else ({@code platform}, the default) on the process's own platform threads.
     */
    boolean virtualThreads() {
        String threads = options.getOrDefault("threads", "platform");
        return switch (threads) {
            case "platform" -> false;
            case "virtual" -> true;
            default -> throw new IllegalArgumentException("--threads platform|virtual, was " + threads);
        };
    }

    /** A body that may throw, for {@link #onThread}. */
    interface Body {
        void run() throws Exception;
    }

    /** Runs {@code body} on a new virtual thread and waits for it if {@code virtual}, else right here. */
    static void onThread(boolean virtual, Body body) throws Exception {
        if (!virtual) {
            body.run();
            return;
        }
        Exception[] failed = new Exception[1];
        Thread t = Thread.ofVirtual().name("bench-virtual").start(() -> {
            try {
                body.run();
            } catch (Exception e) {
                failed[0] = e;
            }
        });
        t.join();
        if (failed[0] != null) {
            throw failed[0];
        }
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }

    /** The fields every result line starts with. */
    Map<String, Object> header(String workload) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("workload", workload);
        out.put("side", "java");
        out.put("variant", variant);
        out.put("start_method", ctx.startMethod().name().toLowerCase(Locale.ROOT));
        out.put("aot", Boolean.parseBoolean(System.getProperty("mp4j.aot", "true")));
        out.put("n", n);
        return out;
    }

    /** {@code <metric>_<unit>}: every repetition; {@code <metric>_median_<unit>}: their median. */
    static void series(Map<String, Object> out, String metric, Row.Unit unit, List<Double> values) {
        out.put(metric + unit.medianSuffix.replace("_median", ""), values);
        out.put(metric + unit.medianSuffix, Stats.median(values));
    }

    /** Prints the result line and exits at once (a warm-spare context keeps a spare alive). */
    static void emit(Map<String, Object> out) {
        System.out.println(Json.write(out, false));
        System.out.flush();
        System.exit(0);
    }

    /** One use of a pool, on {@code count} items or tasks, checked: it throws if a result is wrong. */
    @FunctionalInterface
    interface PoolOp {
        void run(ProcessPool pool, int count) throws Exception;
    }

    /**
     * The throughput shape: {@code Pool(2)}; warm-up, {@code op} once, untimed, and again until
     * {@code --warm-up-ms} (default 0) have passed (the steady-state rows: the JIT of this JVM and of the
     * workers done); then {@code --n} timed runs of {@code op} on the same pool; reports
     * {@code <metric>_per_s} (count ÷ seconds) and the times in ms. The pool is closed after the line is
     * built, untimed.
     */
    void throughput(String workload, String metric, int count, PoolOp op) throws Exception {
        List<Double> perSecond = new ArrayList<>();
        List<Double> millis = new ArrayList<>();
        Map<String, Object> out = header(workload);
        out.put("processes", PROCESSES);
        out.put("count", count);
        long warmUpEnd = System.nanoTime() + intOption("warm-up-ms", 0) * 1_000_000L;
        try (ProcessPool pool = ctx.pool(PROCESSES)) {
            int warmUps = 0;
            do {
                op.run(pool, count);
                warmUps++;
            } while (System.nanoTime() - warmUpEnd < 0);
            out.put("warm_up_runs", warmUps);
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                op.run(pool, count);
                long t = System.nanoTime() - t0;
                millis.add(t / 1e6);
                perSecond.add(count / (t / 1e9));
            }
            series(out, metric, Row.Unit.PER_S, perSecond);
            series(out, "time", Row.Unit.MS, millis);
        }
        emit(out);
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("wrong result: " + what);
        }
    }

    /** The integers {@code 0 … count-1}, built before any timing. */
    static List<Integer> range(int count) {
        List<Integer> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            items.add(i);
        }
        return items;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + a);
            }
            boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
            options.put(a.substring(2), flag ? "true" : args[++i]);
        }
        return options;
    }
}
