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
 * ({@code /work/shared/BENCH.md} is the method).
 *
 * <p>Per round, each side of each workload runs as its own fresh process: CPython with one start
 * method, then ours with one variant, then the next, so machine noise hits both. A row pairs one
 * CPython method with one variant of ours; its ratio (CPython's time ÷ ours) is taken per round, and
 * the table shows each side's median and the median, min and max of the per-round ratios.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure against CPython's multiprocessing, side by side.")
public final class BenchCommand implements Callable<Integer> {
    static final String START_JOIN_SCRIPT = "start_join.py";
    private static final int FULL_ROUNDS = 5;
    private static final int FULL_N = 9;
    private static final int QUICK_ROUNDS = 3;
    private static final int QUICK_N = 3;
    private static final Duration AOT_PRIME_TIMEOUT = Duration.ofMinutes(3);

    @Option(names = "--quick", description = "Seconds, not minutes: 3 starts per side, 3 rounds (tour, CI smoke).")
    boolean quick;

    @Option(names = "--rounds", paramLabel = "N", description = "Interleaved rounds per side (default 5; 3 with --quick).")
    Integer rounds;

    @Option(names = "--only", paramLabel = "NAME", split = ",",
            description = "Only rows whose id contains NAME (e.g. start-join, first-line, forkserver, warm).")
    List<String> only = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where the JSON and HTML go (default <mp4j.home>/bench/results, else the current directory).")
    Path out;

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
        int n = quick ? QUICK_N : FULL_N;
        int roundCount = rounds != null ? rounds : quick ? QUICK_ROUNDS : FULL_ROUNDS;
        if (roundCount < 1) {
            throw new IllegalArgumentException("--rounds must be ≥ 1, was " + roundCount);
        }
        List<Row> rows = Row.startJoin().stream().filter(r -> r.matches(only)).toList();
        if (rows.isEmpty()) {
            console.println("no row matches --only " + only + "; rows: "
                    + Row.startJoin().stream().map(Row::id).toList());
            return 2;
        }
        Path work = Files.createTempDirectory("mp4j-bench-");
        try {
            return measure(home, outDir, work, rows, n, roundCount);
        } finally {
            deleteTree(work);
        }
    }

    private int measure(Path home, Path outDir, Path work, List<Row> rows, int n, int roundCount) throws IOException {
        Optional<Path> python = SideRunner.findPython();
        Map<String, Object> env = Environment.capture(home, python);
        console.printf("mp4j bench — %s mode, %d round(s), n=%d; %s × %s; %s%n", quick ? "quick" : "full",
                roundCount, n, env.get("cpu_count"), env.get("cpu_model"), env.get("python"));
        if (python.isEmpty()) {
            console.println("skipped CPython: python3 not found on the PATH; measuring multiprocessing4j alone");
        }
        List<String> skipped = new ArrayList<>();
        if (python.isEmpty()) {
            skipped.add("CPython: python3 not found");
        }
        Path aotDir = benchAotDir();
        boolean aotUsable = SideRunner.classPathIsJars();
        Set<String> javaVariants = new LinkedHashSet<>();
        Set<String> pyMethods = new LinkedHashSet<>();
        for (String v : List.of("cold", "aot", "warm")) {
            rows.stream().filter(r -> r.ours().equals(v)).findAny().ifPresent(r -> javaVariants.add(v));
        }
        for (String m : List.of("spawn", "forkserver", "fork")) {
            rows.stream().filter(r -> r.cpython().equals(m)).findAny().ifPresent(r -> pyMethods.add(m));
        }
        SideRunner runner = new SideRunner(work, python, SideRunner.scripts(home, work, List.of(START_JOIN_SCRIPT)),
                aotDir, aotUsable);
        if (javaVariants.contains("aot") || javaVariants.contains("warm")) {
            aotUsable = primeAot(runner, aotDir, aotUsable, skipped);
            runner = new SideRunner(work, python, SideRunner.scripts(home, work, List.of(START_JOIN_SCRIPT)),
                    aotDir, aotUsable);
            if (!aotUsable) {
                rows = rows.stream().filter(r -> !r.ours().equals("aot")).toList();
                javaVariants.remove("aot");
            }
        }

        List<Map<String, Object>> runs = new ArrayList<>();
        List<String> order = interleave(python.isPresent() ? List.copyOf(pyMethods) : List.of(), List.copyOf(javaVariants));
        for (int round = 1; round <= roundCount; round++) {
            for (String side : order) {
                boolean py = side.startsWith("py:");
                String variant = side.substring(3);
                console.printf("  [start+join] round %d/%d  %-10s %-24s", round, roundCount,
                        py ? "CPython" : "mp4j", py ? variant : Row.oursLabel(variant));
                console.flush();
                long t0 = System.nanoTime();
                Map<String, Object> result = py ? runner.python(START_JOIN_SCRIPT, variant, n)
                        : runner.java(StartJoinWorkload.class.getName(), variant, n, false);
                double wall = (System.nanoTime() - t0) / 1e6;
                console.printf("start+join %8.2f ms   first line %8.2f ms   (%.1f s)%n",
                        num(result.get("start_join_median_ms")), num(result.get("first_line_median_ms")), wall / 1000);
                Map<String, Object> run = new LinkedHashMap<>();
                run.put("workload", "start_join");
                run.put("round", round);
                run.put("side", py ? "cpython" : "java");
                run.put("variant", variant);
                run.put("wall_ms", wall);
                run.put("result", result);
                runs.add(run);
            }
        }

        List<Map<String, Object>> summary = summarise(rows, runs, roundCount, python.isPresent(), env);
        Report report = new Report(summary, env);
        console.println();
        console.print(report.table());
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", 1);
        doc.put("tool", "mp4j bench");
        doc.put("mode", quick ? "quick" : "full");
        doc.put("rounds", roundCount);
        doc.put("n", n);
        doc.put("environment", env);
        doc.put("method", "interleaved rounds, each side a fresh process; ratio = CPython median ÷ ours per round");
        doc.put("skipped", skipped);
        doc.put("rows", summary);
        doc.put("runs", runs);
        String base = LocalDate.now() + "-" + env.get("commit_short");
        Path json = outDir.resolve(base + ".json");
        Path html = outDir.resolve(base + ".html");
        Files.writeString(json, Json.write(doc, true) + "\n", StandardCharsets.UTF_8);
        Files.writeString(html, report.html(), StandardCharsets.UTF_8);
        console.println();
        console.println("results: " + json.toAbsolutePath());
        console.println("chart:   " + html.toAbsolutePath());
        return 0;
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
            boolean havePython, Map<String, Object> env) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Row row : rows) {
            List<Double> py = series(runs, "cpython", row.cpython(), row.metric());
            List<Double> ours = series(runs, "java", row.ours(), row.metric());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", row.id());
            m.put("workload", row.workload());
            m.put("metric", row.metric());
            m.put("cpython_method", row.cpython());
            m.put("ours_variant", row.ours());
            m.put("ours_label", Row.oursLabel(row.ours()));
            m.put("cpython_rounds_ms", py);
            m.put("ours_rounds_ms", ours);
            m.put("cpython_median_ms", py.isEmpty() ? null : Stats.median(py));
            m.put("ours_median_ms", ours.isEmpty() ? null : Stats.median(ours));
            if (havePython && py.size() == roundCount && ours.size() == roundCount) {
                Stats.RatioSummary r = Stats.ratios(py, ours);
                m.put("ratios", r.ratios());
                m.put("ratio_median", r.median());
                m.put("ratio_min", r.min());
                m.put("ratio_max", r.max());
                m.put("met", row.target() == null ? null : r.median() >= row.target());
            }
            m.put("target_ratio", row.target());
            m.put("target", row.targetText());
            out.add(m);
        }
        return out;
    }

    private static List<Double> series(List<Map<String, Object>> runs, String side, String variant, String metric) {
        List<Double> values = new ArrayList<>();
        for (Map<String, Object> run : runs) {
            if (run.get("side").equals(side) && run.get("variant").equals(variant)) {
                @SuppressWarnings("unchecked")
                Map<String, Object> result = (Map<String, Object>) run.get("result");
                values.add(num(result.get(metric + "_median_ms")));
            }
        }
        return values;
    }

    private static double num(Object o) {
        return ((Number) o).doubleValue();
    }

    /**
     * A fresh AOT cache for the bench's own class path, so the AOT rows always measure a cache that
     * exists: clear the bench's cache directory, run the workload once (its first launch starts the
     * training JVM), and wait until the cache file is in place.
     */
    private boolean primeAot(SideRunner runner, Path dir, boolean usable, List<String> skipped) throws IOException {
        if (!usable) {
            console.println("AOT cache: not possible with this class path (the JDK archives JAR files only); "
                    + "AOT rows skipped, the warm spare runs without it");
            skipped.add("AOT cache: class path is not all JAR files");
            return false;
        }
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
        }
        console.printf("AOT cache: priming %s (one training JVM) … ", dir);
        console.flush();
        long t0 = System.nanoTime();
        runner.java(StartJoinWorkload.class.getName(), "aot", 1, true);
        long deadline = t0 + AOT_PRIME_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            boolean ready;
            boolean busy;
            boolean failed;
            try (Stream<Path> files = Files.list(dir)) {
                List<String> names = files.map(f -> f.getFileName().toString()).toList();
                ready = names.stream().anyMatch(s -> s.endsWith(".aot"));
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

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
