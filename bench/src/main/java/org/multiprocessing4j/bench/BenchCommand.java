package org.multiprocessing4j.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mp4j bench}: each workload beside CPython's multiprocessing, interleaved, as ratios
 * ({@code BENCH.md} of the shared design folder is the method).
 *
 * <p>Workload by workload ({@link Workload}), per round, each side runs as its own fresh process:
 * CPython with one start method, then ours with one variant, then the next, so machine noise hits
 * both. A row ({@link Row}) pairs one CPython method with one variant of ours for one metric; its
 * ratio is taken per round — CPython's ÷ ours for times, ours ÷ CPython's for throughputs and
 * speed-ups, so above 1 we are ahead — and the table shows each side's median and the median, min
 * and max of the per-round ratios. A side that fails is reported, not run again, and its rows have
 * no ratio; the run still writes its results, and exits with 1.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure against CPython's multiprocessing, side by side.")
public final class BenchCommand implements Callable<Integer> {
    private static final int FULL_ROUNDS = 5;
    private static final int QUICK_ROUNDS = 3;
    private static final Duration AOT_PRIME_TIMEOUT = Duration.ofMinutes(3);

    @Option(names = "--quick", description = "Seconds, not minutes: 3 rounds, a few repetitions per side (tour, CI smoke).")
    boolean quick;

    @Option(names = "--rounds", paramLabel = "N", description = "Interleaved rounds per side (default 5; 3 with --quick).")
    Integer rounds;

    @Option(names = "--only", paramLabel = "NAME", split = ",",
            description = "Only rows whose id contains NAME (e.g. start-join, pool, pool-map, forkserver, warm).")
    List<String> only = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where the JSON and HTML go (default <mp4j.home>/bench/results, else the current directory).")
    Path out;

    @Option(names = "--cluster", description = "The cluster backend on 3 members on loopback beside the local "
            + "backend (pool round trip, applyAsync, map, queue, dict get; applyAsync with 1, 2, 3 members) "
            + "instead of the rows against CPython.")
    boolean cluster;

    @Option(names = "--jmh", description = "Run the JMH micro-benchmarks (short settings) instead of the side-by-side rows.")
    boolean jmh;

    private final PrintStream console;

    public BenchCommand() {
        this(System.out);
    }

    BenchCommand(PrintStream console) {
        this.console = console;
    }

    @Override
    public Integer call() throws Exception {
        Path home = Optional.ofNullable(System.getProperty("mp4j.home")).map(Path::of).orElse(Path.of(""))
                .toAbsolutePath();
        Path outDir = out != null ? out
                : System.getProperty("mp4j.home") != null ? home.resolve("bench").resolve("results") : Path.of("");
        Files.createDirectories(outDir.toAbsolutePath());
        if (jmh) {
            return JmhRun.run(console, outDir, LocalDate.now() + "-"
                    + Environment.capture(home, Optional.empty()).get("commit_short"));
        }
        int roundCount = rounds != null ? rounds : quick ? QUICK_ROUNDS : FULL_ROUNDS;
        if (roundCount < 1) {
            throw new IllegalArgumentException("--rounds must be ≥ 1, was " + roundCount);
        }
        if (cluster) {
            return new ClusterBench(console, quick, roundCount).run(home, outDir);
        }
        List<Row> rows = Row.all().stream().filter(r -> r.matches(only)).toList();
        if (rows.isEmpty()) {
            console.println("no row matches --only " + only + "; rows: " + Row.all().stream().map(Row::id).toList());
            return 2;
        }
        Path work = Files.createTempDirectory("mp4j-bench-");
        try {
            return measure(home, outDir, work, rows, roundCount);
        } finally {
            deleteTree(work);
        }
    }

    private int measure(Path home, Path outDir, Path work, List<Row> rows, int roundCount) throws IOException {
        Optional<Path> python = SideRunner.findPython();
        Map<String, Object> env = Environment.capture(home, python);
        List<Workload> workloads = rows.stream().map(Row::workload).distinct().toList();
        Map<String, Object> ns = new LinkedHashMap<>();
        workloads.forEach(w -> ns.put(w.id(), w.n(quick)));
        console.printf("mp4j bench — %s mode, %d round(s), n=%s; %s × %s; %s%n", quick ? "quick" : "full",
                roundCount, ns, env.get("cpu_count"), env.get("cpu_model"), env.get("python"));
        List<String> skipped = new ArrayList<>();
        if (python.isEmpty()) {
            console.println("skipped CPython: python3 not found on the PATH; measuring multiprocessing4j alone");
            skipped.add("CPython: python3 not found");
        }
        Path aotDir = benchAotDir();
        boolean aotUsable = SideRunner.classPathIsJars();
        Path scripts = SideRunner.scripts(home, work, Workload.scripts());
        if (rows.stream().anyMatch(r -> r.ours().equals("aot") || r.ours().equals("warm") || r.ours().equals("dirs"))) {
            clearCaches(aotDir); // else a cache left by an earlier run is never "new", and priming waits its timeout
            SideRunner primer = new SideRunner(work, python, scripts, aotDir, aotUsable);
            aotUsable = primeAot(primer, "aot", aotDir, aotUsable, skipped);
            if (aotUsable && rows.stream().anyMatch(r -> r.ours().equals("dirs"))) {
                primeAot(primer, "dirs", aotDir, true, skipped); // its own cache: the library's JAR alone
            }
            if (!aotUsable) {
                rows = rows.stream().filter(r -> !r.ours().equals("aot") && !r.ours().equals("dirs")).toList();
            }
        }
        SideRunner runner = new SideRunner(work, python, scripts, aotDir, aotUsable);

        List<Map<String, Object>> runs = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Workload w : workloads) {
            List<Row> these = rows.stream().filter(r -> r.workload() == w).toList();
            if (!these.isEmpty()) {
                runs.addAll(rounds(runner, w, these, roundCount, python.isPresent(), failures));
            }
        }

        List<Map<String, Object>> summary = summarise(rows, runs, roundCount, python.isPresent());
        Report report = new Report(summary, env);
        console.println();
        console.print(report.table());
        Map<String, Object> timeline = LaunchTimeline.summarise(runs);
        if (!timeline.isEmpty()) {
            console.println();
            console.print(LaunchTimeline.block(timeline));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", 2);
        doc.put("tool", "mp4j bench");
        doc.put("mode", quick ? "quick" : "full");
        doc.put("rounds", roundCount);
        doc.put("n", ns);
        doc.put("environment", env);
        doc.put("method", "interleaved rounds, each side a fresh process; ratio per round = CPython ÷ ours for "
                + "times, ours ÷ CPython for throughputs and speed-ups (above 1: we are ahead)");
        doc.put("skipped", skipped);
        doc.put("failures", failures);
        doc.put("rows", summary);
        doc.put("launch_timeline", timeline);
        doc.put("runs", runs);
        String base = LocalDate.now() + "-" + env.get("commit_short");
        Path json = outDir.resolve(base + ".json");
        Path html = outDir.resolve(base + ".html");
        Files.writeString(json, Json.write(doc, true) + "\n", StandardCharsets.UTF_8);
        Files.writeString(html, report.html(), StandardCharsets.UTF_8);
        console.println();
        if (!failures.isEmpty()) {
            console.println("failed sides (their rows have no figures):");
            failures.forEach(f -> console.println("  " + f));
        }
        console.println("results: " + json.toAbsolutePath());
        console.println("chart:   " + html.toAbsolutePath());
        return failures.isEmpty() ? 0 : 1;
    }

    /**
     * The rounds of one workload: per round, each CPython method and each variant of ours its rows
     * need, interleaved, each a fresh process. A side that fails is reported and not run again.
     */
    private List<Map<String, Object>> rounds(SideRunner runner, Workload w, List<Row> rows, int roundCount,
            boolean havePython, List<String> failures) {
        List<String> pyMethods = new ArrayList<>();
        List<String> javaVariants = new ArrayList<>();
        for (String m : List.of("spawn", "forkserver", "fork")) {
            rows.stream().filter(r -> r.cpython().equals(m)).findAny().ifPresent(r -> pyMethods.add(m));
        }
        for (String v : List.of("cold", "aot", "dirs", "warm")) {
            rows.stream().filter(r -> r.ours().equals(v)).findAny().ifPresent(r -> javaVariants.add(v));
        }
        Map<String, Row.Unit> metrics = new LinkedHashMap<>();
        rows.forEach(r -> metrics.putIfAbsent(r.metric(), r.unit()));
        List<String> order = new ArrayList<>(interleave(havePython ? pyMethods : List.of(), javaVariants));
        if (w == Workload.START_JOIN) { // where the time goes, beside the JVM's floor (LaunchTimeline)
            javaVariants.stream().filter(v -> v.equals("aot") || v.equals("warm")).forEach(v -> order.add("tl:" + v));
        }
        Set<String> failed = new LinkedHashSet<>();
        List<Map<String, Object>> runs = new ArrayList<>();
        int n = w.n(quick);
        RowProgress progress = RowProgress.on(console, w.label(), (long) roundCount * order.size());
        for (int round = 1; round <= roundCount; round++) {
            for (String side : order) {
                if (failed.contains(side)) {
                    continue;
                }
                boolean py = side.startsWith("py:");
                boolean timeline = side.startsWith("tl:");
                String variant = side.substring(3);
                String what = String.format("round %d/%d  %-8s %-20s", round, roundCount,
                        py ? "CPython" : timeline ? "timeline" : "mp4j", py ? variant : Row.oursLabel(variant));
                progress.running(what);
                long t0 = System.nanoTime();
                Map<String, Object> run = new LinkedHashMap<>();
                run.put("workload", w.id());
                run.put("round", round);
                run.put("side", py ? "cpython" : timeline ? LaunchTimeline.SIDE : "java");
                run.put("variant", variant);
                try {
                    Map<String, Object> result = py ? runner.python(w.script(), variant, n, w.args(quick))
                            : timeline ? runner.java(w.mainClass().getName(), variant + SideRunner.TRACED, n,
                                    LaunchTimeline.ARGS)
                            : runner.java(w.mainClass().getName(), variant, n, w.args(quick));
                    double wall = (System.nanoTime() - t0) / 1e6;
                    StringBuilder line = new StringBuilder();
                    if (timeline) {
                        line.append(LaunchTimeline.progress(result)).append("   ");
                    } else {
                        metrics.forEach((metric, unit) -> line.append(metric).append(' ')
                                .append(Report.format(result.get(metric + unit.medianSuffix), unit)).append("   "));
                    }
                    progress.ended(what, String.format("%s(%.1f s)", line, wall / 1000), true);
                    run.put("wall_ms", wall);
                    run.put("result", result);
                } catch (IOException e) {
                    String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
                    progress.ended(what, "FAILED, not run again: " + e.getMessage(), false);
                    progress.skipped(roundCount - round); // its later rounds
                    failed.add(side);
                    failures.add(w.id() + " " + (py ? "CPython " : "mp4j ") + variant + ": "
                            + causeLine(e.getMessage()).orElse(first));
                    run.put("error", e.getMessage());
                }
                runs.add(run);
            }
        }
        progress.finish();
        return runs;
    }

    /** The first line of a failing side's output that names an exception, if any. */
    private static Optional<String> causeLine(String message) {
        return String.valueOf(message).lines().filter(l -> l.matches(".*(Exception|Error)\\b.*")).findFirst()
                .map(String::trim);
    }

    /** CPython, then ours, then CPython …: {@code py:spawn, java:cold, py:forkserver, java:aot …}. */
    static List<String> interleave(List<String> py, List<String> java) {
        List<String> order = new ArrayList<>();
        for (int i = 0; i < Math.max(py.size(), java.size()); i++) {
            if (i < py.size()) {
                order.add("py:" + py.get(i));
            }
            if (i < java.size()) {
                order.add("jv:" + java.get(i));
            }
        }
        return order;
    }

    private List<Map<String, Object>> summarise(List<Row> rows, List<Map<String, Object>> runs, int roundCount,
            boolean havePython) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Row row : rows) {
            List<Double> py = series(runs, row.workload(), "cpython", row.cpython(), row.field());
            List<Double> ours = series(runs, row.workload(), "java", row.ours(), row.field());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", row.id());
            m.put("workload", row.label());
            m.put("workload_id", row.workload().id());
            m.put("metric", row.metric());
            m.put("unit", row.unit().symbol);
            m.put("cpython_method", row.cpython());
            m.put("ours_variant", row.ours());
            m.put("ours_label", Row.oursLabel(row.ours()));
            m.put("cpython_rounds", py);
            m.put("ours_rounds", ours);
            Double pyMedian = py.isEmpty() ? null : Stats.median(py);
            Double oursMedian = ours.isEmpty() ? null : Stats.median(ours);
            m.put("cpython_median", pyMedian);
            m.put("ours_median", oursMedian);
            Row.Target target = row.target();
            Double targetRatio = !row.hasTarget() ? null
                    : !target.onOurs() ? target.value()
                    : pyMedian == null ? null // where ours reaches it, for the chart
                    : row.unit().higherIsBetter ? target.value() / pyMedian : pyMedian / target.value();
            if (havePython && py.size() == roundCount && ours.size() == roundCount) {
                Stats.RatioSummary r = Stats.ratios(py, ours, row.unit().higherIsBetter);
                m.put("ratios", r.ratios());
                m.put("ratio_median", r.median());
                m.put("ratio_min", r.min());
                m.put("ratio_max", r.max());
            }
            Boolean met = !row.hasTarget() ? null
                    : target.onOurs() ? (oursMedian == null ? null
                            : row.unit().higherIsBetter ? oursMedian >= target.value() : oursMedian <= target.value())
                    : m.get("ratio_median") instanceof Double med ? med >= target.value() : null;
            m.put("met", met);
            m.put("target_ratio", targetRatio);
            m.put("target", target.text());
            out.add(m);
        }
        return out;
    }

    private static List<Double> series(List<Map<String, Object>> runs, Workload w, String side, String variant,
            String field) {
        List<Double> values = new ArrayList<>();
        for (Map<String, Object> run : runs) {
            if (run.get("workload").equals(w.id()) && run.get("side").equals(side) && run.get("variant").equals(variant)
                    && run.get("result") instanceof Map<?, ?> result && result.get(field) instanceof Number v) {
                values.add(v.doubleValue());
            }
        }
        return values;
    }

    /**
     * A fresh AOT cache for the bench's own class path, so the AOT rows always measure a cache that
     * exists: clear the bench's cache directory, run the workload once (its first launches start the
     * training JVMs: a plain child's cache and a pool worker's), and wait until both files are in place.
     */
    private boolean primeAot(SideRunner runner, String variant, Path dir, boolean usable, List<String> skipped)
            throws IOException {
        if (!usable) {
            console.println("AOT cache: not possible with this class path (the JDK archives JAR files only); "
                    + "AOT rows skipped, the warm spare runs without it");
            skipped.add("AOT cache: class path is not all JAR files");
            return false;
        }
        Files.createDirectories(dir);
        long cachesBefore;
        try (Stream<Path> files = Files.list(dir)) {
            cachesBefore = files.filter(f -> f.getFileName().toString().endsWith(".aot")).count();
        }
        console.printf("AOT cache: priming %s for %s (one training JVM) … ", dir, Row.oursLabel(variant));
        console.flush();
        long t0 = System.nanoTime();
        runner.prime(StartJoinWorkload.class.getName(), variant);
        long deadline = t0 + AOT_PRIME_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            boolean ready;
            boolean busy;
            boolean failed;
            try (Stream<Path> files = Files.list(dir)) {
                List<String> names = files.map(f -> f.getFileName().toString()).toList();
                // two caches: a plain child's and a pool worker's (AotCache.Kind)
                ready = names.stream().filter(s -> s.endsWith(".aot")).count() >= cachesBefore + 2;
                busy = names.stream().anyMatch(s -> s.endsWith(".lock"));
                failed = names.stream().anyMatch(s -> s.endsWith(".failed"));
            }
            if (failed) {
                console.println("training failed; AOT rows skipped");
                skipped.add("AOT cache: training failed");
                return false;
            }
            if (ready && !busy) {
                console.printf("ready in %.1f s%n", (System.nanoTime() - t0) / 1e9);
                return true;
            }
            Spares.pause(50);
        }
        console.println("not ready after " + AOT_PRIME_TIMEOUT.toSeconds() + " s; AOT rows skipped");
        skipped.add("AOT cache: not ready in time");
        return false;
    }

    /** The bench's own AOT cache directory, beside the library's default one. */
    static Path benchAotDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("multiprocessing4j").resolve("bench-aot");
    }

    /** Deletes the caches and the failure marks an earlier run left in the bench's own cache directory. */
    private static void clearCaches(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".aot")
                    || f.getFileName().toString().endsWith(".failed")).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
