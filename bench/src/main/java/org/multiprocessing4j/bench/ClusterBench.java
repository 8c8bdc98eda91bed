package org.multiprocessing4j.bench;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessEvent;
import org.multiprocessing4j.ProcessPool;
import org.multiprocessing4j.ProcessQueue;
import org.multiprocessing4j.hazelcast.ClusterContext;
import org.multiprocessing4j.hazelcast.LoopbackCluster;

/**
 * {@code mp4j bench --cluster}: the cluster backend on 3 members on loopback (child JVMs of the bench),
 * beside the local backend, in one run, rounds interleaved (local, then cluster). The bench's JVM is
 * the driver of both. Rows (quick mode lowers the counts, never the shape):
 * <ul>
 *   <li>pool round trip: {@code pool(3)}, warm; {@code apply(() -> 1)} one after another; median µs;</li>
 *   <li>applyAsync: {@code pool(3)}, warm; 2,000 {@code applyAsync(() -> 1)}, all joined; tasks/s;</li>
 *   <li>map with chunks: {@code pool(3)}, warm; 100,000 ints through {@code x * 2}, default chunks; items/s;</li>
 *   <li>queue: a consumer process takes 20,000 ints that the driver puts (timed from its ready signal
 *       to its end); msgs/s;</li>
 *   <li>queue in batches: the same, the driver adding 100 at a time ({@code addAll}), the consumer taking
 *       one and draining the rest there ({@code take}, then {@code drainTo}); msgs/s;</li>
 *   <li>dict get: {@code manager().dict()}, one key; {@code get} one after another; median µs;</li>
 *   <li>and applyAsync with 1, 2 and 3 members (how it scales), once each.</li>
 * </ul>
 * The goals are the issue's: round trip ≤ 1 ms, applyAsync ≥ 5,000/s, map ≥ 100,000 items/s, queue ≥
 * 50,000 msgs/s, dict get ≤ 300 µs. A loaded machine misses them; the ratio to local, taken per round,
 * is the figure to read.
 */
final class ClusterBench {
    private static final int POOL = 3;

    /** One row: what it measures, its unit, whether higher is better, the goal on the cluster. */
    private record Metric(String id, String label, String unit, boolean higherIsBetter, double goal) {}

    private static final List<Metric> METRICS = List.of(
            new Metric("round_trip", "pool task round trip", "µs", false, 1_000),
            new Metric("apply_async", "applyAsync trivial tasks", "tasks/s", true, 5_000),
            new Metric("map_chunks", "map, default chunks", "items/s", true, 100_000),
            new Metric("queue", "queue, process to process", "msgs/s", true, 50_000),
            new Metric("queue_batched", "queue, batches of 100", "msgs/s", true, 50_000),
            new Metric("dict_get", "dict get", "µs", false, 300));

    private final PrintStream console;
    private final boolean quick;
    private final int rounds;

    ClusterBench(PrintStream console, boolean quick, int rounds) {
        this.console = console;
        this.quick = quick;
        this.rounds = rounds;
    }

    int run(Path home, Path outDir) throws Exception {
        Map<String, Object> env = Environment.capture(home, java.util.Optional.empty());
        console.printf("mp4j bench --cluster — %s mode, %d round(s); 3 members on loopback beside the local backend; %s × %s%n",
                quick ? "quick" : "full", rounds, env.get("cpu_count"), env.get("cpu_model"));
        Map<String, List<Double>> local = new LinkedHashMap<>();
        Map<String, List<Double>> cluster = new LinkedHashMap<>();
        Map<String, Double> scale = new LinkedHashMap<>();
        try (LoopbackCluster members = new LoopbackCluster(3, 1, 2)) {
            ClusterContext ctx = (ClusterContext) Multiprocessing.cluster(members.config());
            try {
                for (int n = 1; n <= 3; n++) {
                    if (n > 1) {
                        members.addMember();
                    }
                    awaitMembers(ctx, n);
                    console.printf("  scale: applyAsync on %d member(s)%n", n);
                    scale.put(n + "_members", applyAsync(ctx));
                }
                Context here = Multiprocessing.local();
                for (int round = 1; round <= rounds; round++) {
                    console.printf("  round %d/%d: local%n", round, rounds);
                    measure(here, local);
                    console.printf("  round %d/%d: cluster%n", round, rounds);
                    measure(ctx, cluster);
                }
            } finally {
                ctx.close();
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Metric m : METRICS) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("workload", m.id());
            row.put("label", m.label());
            row.put("unit", m.unit());
            row.put("local", local.get(m.id()));
            row.put("cluster", cluster.get(m.id()));
            row.put("local_median", Stats.median(local.get(m.id())));
            row.put("cluster_median", Stats.median(cluster.get(m.id())));
            Stats.RatioSummary r = Stats.ratios(local.get(m.id()), cluster.get(m.id()), m.higherIsBetter());
            row.put("cluster_vs_local_median", r.median());
            row.put("cluster_vs_local_min", r.min());
            row.put("cluster_vs_local_max", r.max());
            row.put("goal", m.goal());
            double c = Stats.median(cluster.get(m.id()));
            row.put("goal_met", m.higherIsBetter() ? c >= m.goal() : c <= m.goal());
            rows.add(row);
        }
        console.println();
        console.print(table(rows, scale));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", 1);
        doc.put("tool", "mp4j bench --cluster");
        doc.put("mode", quick ? "quick" : "full");
        doc.put("rounds", rounds);
        doc.put("environment", env);
        doc.put("method", "one driver JVM (the bench's); 3 members on loopback, each a child JVM with 2 pool workers; "
                + "rounds interleaved local, cluster; ratio per round = cluster's figure against local's "
                + "(above 1: the cluster is ahead)");
        doc.put("rows", rows);
        doc.put("apply_async_by_members", scale);
        Path json = outDir.resolve(LocalDate.now() + "-" + env.get("commit_short") + "-cluster.json");
        Files.writeString(json, Json.write(doc, true) + "\n", StandardCharsets.UTF_8);
        console.println();
        console.println("results: " + json.toAbsolutePath());
        return 0;
    }

    private static void awaitMembers(ClusterContext ctx, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (ctx.members().size() < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the driver sees " + ctx.members() + ", not " + n + " members");
            }
            Thread.sleep(50); // a progress poll of the membership, not a synchronization under test
        }
    }

    private void measure(Context ctx, Map<String, List<Double>> into) throws Exception {
        try (ProcessPool pool = ctx.pool(POOL)) {
            pool.map(x -> x, IntStream.range(0, 3 * POOL).boxed().toList(), 1); // warm: every worker started
            into.computeIfAbsent("round_trip", k -> new ArrayList<>()).add(roundTrip(pool));
            into.computeIfAbsent("apply_async", k -> new ArrayList<>()).add(applyAsync(pool));
            into.computeIfAbsent("map_chunks", k -> new ArrayList<>()).add(mapChunks(pool));
        }
        into.computeIfAbsent("queue", k -> new ArrayList<>()).add(queue(ctx));
        into.computeIfAbsent("queue_batched", k -> new ArrayList<>()).add(queueBatched(ctx));
        into.computeIfAbsent("dict_get", k -> new ArrayList<>()).add(dictGet(ctx));
    }

    private double roundTrip(ProcessPool pool) {
        int n = quick ? 50 : 300;
        List<Double> micros = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            int one = pool.apply(() -> 1);
            micros.add((System.nanoTime() - t) / 1e3);
            WorkloadMain.check(one == 1, "apply returned " + one);
        }
        return Stats.median(micros);
    }

    private double applyAsync(ClusterContext ctx) throws Exception {
        try (ProcessPool pool = ctx.pool(POOL)) {
            pool.map(x -> x, IntStream.range(0, 3 * POOL).boxed().toList(), 1);
            return applyAsync(pool);
        }
    }

    private double applyAsync(ProcessPool pool) {
        int n = quick ? 500 : 2_000;
        long t = System.nanoTime();
        List<CompletableFuture<Integer>> futures = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            futures.add(pool.applyAsync(() -> 1));
        }
        long sum = 0;
        for (CompletableFuture<Integer> f : futures) {
            sum += f.join();
        }
        double seconds = (System.nanoTime() - t) / 1e9;
        WorkloadMain.check(sum == n, "sum " + sum + " of " + n + " ones");
        return n / seconds;
    }

    private double mapChunks(ProcessPool pool) {
        int n = quick ? 20_000 : 100_000;
        List<Integer> items = IntStream.range(0, n).boxed().toList();
        long t = System.nanoTime();
        List<Integer> out = pool.map(x -> x * 2, items);
        double seconds = (System.nanoTime() - t) / 1e9;
        WorkloadMain.check(out.size() == n && out.get(n - 1) == 2 * (n - 1), "map's results");
        return n / seconds;
    }

    private double queue(Context ctx) throws Exception {
        int n = quick ? 5_000 : 20_000;
        ProcessQueue<Integer> q = ctx.queue();
        ProcessEvent ready = ctx.event();
        ChildProcess consumer = ctx.process(() -> {
            ready.set();
            for (int i = 0; i < n; i++) {
                try {
                    q.take();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        }).start();
        if (!ready.await(java.time.Duration.ofSeconds(120))) {
            throw new IllegalStateException("the consumer did not start within 120 s");
        }
        long t = System.nanoTime();
        for (int i = 0; i < n; i++) {
            q.put(i);
        }
        consumer.join();
        double seconds = (System.nanoTime() - t) / 1e9;
        WorkloadMain.check(consumer.exitCode().orElse(-1) == 0, "the consumer's exit code " + consumer.exitCode());
        q.close();
        return n / seconds;
    }

    private double queueBatched(Context ctx) throws Exception {
        int n = quick ? 5_000 : 20_000; // what the local queue holds without a consumer (addAll does not wait for room)
        int batch = 100;
        ProcessQueue<Integer> q = ctx.queue();
        ProcessEvent ready = ctx.event();
        ChildProcess consumer = ctx.process(() -> {
            ready.set();
            List<Integer> got = new ArrayList<>();
            int count = 0;
            while (count < n) {
                try {
                    got.add(q.take());
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                q.drainTo(got, n - count - 1);
                count += got.size();
                got.clear();
            }
        }).start();
        if (!ready.await(java.time.Duration.ofSeconds(120))) {
            throw new IllegalStateException("the consumer did not start within 120 s");
        }
        long t = System.nanoTime();
        for (int i = 0; i < n; i += batch) {
            q.addAll(IntStream.range(i, Math.min(n, i + batch)).boxed().toList());
        }
        consumer.join();
        double seconds = (System.nanoTime() - t) / 1e9;
        WorkloadMain.check(consumer.exitCode().orElse(-1) == 0, "the consumer's exit code " + consumer.exitCode());
        q.close();
        return n / seconds;
    }

    private double dictGet(Context ctx) throws Exception {
        int n = quick ? 200 : 1_000;
        try (Manager manager = ctx.manager()) {
            java.util.concurrent.ConcurrentMap<String, Integer> d = manager.dict();
            d.put("k", 1);
            d.get("k");
            List<Double> micros = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                Integer v = d.get("k");
                micros.add((System.nanoTime() - t) / 1e3);
                WorkloadMain.check(v != null && v == 1, "get returned " + v);
            }
            return Stats.median(micros);
        }
    }

    private static String table(List<Map<String, Object>> rows, Map<String, Double> scale) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "| %-26s | %17s | %22s | %18s | %24s |%n", "row", "local",
                "cluster (3 members)", "cluster vs local", "goal on the cluster"));
        sb.append("|").append("-".repeat(28)).append("|").append("-".repeat(18)).append(":|").append("-".repeat(23))
                .append(":|").append("-".repeat(19)).append(":|").append("-".repeat(26)).append("|\n");
        for (Map<String, Object> r : rows) {
            String unit = (String) r.get("unit");
            boolean higher = !unit.equals("µs");
            sb.append(String.format(Locale.ROOT, "| %-26s | %17s | %22s | %17.2f× | %24s |%n", r.get("label"),
                    figure((double) r.get("local_median"), unit), figure((double) r.get("cluster_median"), unit),
                    (double) r.get("cluster_vs_local_median"),
                    (higher ? "≥ " : "≤ ") + figure((double) r.get("goal"), unit)
                            + (Boolean.TRUE.equals(r.get("goal_met")) ? " ok" : " missed")));
        }
        sb.append("applyAsync by members: ");
        scale.forEach((k, v) -> sb.append(k.replace('_', ' ')).append(' ').append(figure(v, "tasks/s")).append("; "));
        sb.append('\n');
        return sb.toString();
    }

    private static String figure(double v, String unit) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f %s", v, unit) : String.format(Locale.ROOT, "%.1f %s", v, unit);
    }
}
