package org.multiprocessing4j.bench.serial;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.multiprocessing4j.bench.Json;
import org.multiprocessing4j.bench.Stats;

/**
 * Runs {@link ColdStart} as fresh JVMs, interleaved (jdk, fory, …, then the next round), and prints
 * a Markdown table of medians: the first operation inside the JVM, the second one, and the JVM's
 * whole wall time from spawn to exit. Usage: {@code ColdStartBench [ROUNDS]}; {@code bench/serialization.sh}.
 */
public final class ColdStartBench {
    private static final List<String> LIBS = List.of("jdk", "jdk-no-lambda", "fory", "fory-interpreted", "hmac-ours", "hmac-jca");

    private ColdStartBench() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        Path dir = Files.createTempDirectory("mp4j-cold-");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        run(List.of(java, "-cp", cp, ColdStart.class.getName(), "write", dir.toString()));
        Map<String, List<Double>> first = new LinkedHashMap<>();
        Map<String, List<Double>> second = new LinkedHashMap<>();
        Map<String, List<Double>> wall = new LinkedHashMap<>();
        for (int r = 1; r <= rounds; r++) {
            for (String lib : LIBS) {
                long t0 = System.nanoTime();
                String line = run(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", cp,
                        ColdStart.class.getName(), "read", lib, dir.toString()));
                double w = (System.nanoTime() - t0) / 1e6;
                Map<String, Object> m = Json.parseObject(line);
                first.computeIfAbsent(lib, k -> new ArrayList<>()).add(((Number) m.get("first_ms")).doubleValue());
                second.computeIfAbsent(lib, k -> new ArrayList<>()).add(((Number) m.get("second_ms")).doubleValue());
                wall.computeIfAbsent(lib, k -> new ArrayList<>()).add(w);
            }
            System.err.printf("round %d/%d done%n", r, rounds);
        }
        System.out.printf("fresh JVMs, %d interleaved rounds, medians (min–max)%n%n", rounds);
        System.out.println("| operation | first call in a fresh JVM | second call | JVM wall time, spawn → exit |");
        System.out.println("| --- | ---: | ---: | ---: |");
        for (String lib : LIBS) {
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %s |%n", lib, fmt(first.get(lib)), fmt(second.get(lib)),
                    fmt(wall.get(lib)));
        }
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    private static String fmt(List<Double> v) {
        double min = v.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = v.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return String.format(Locale.ROOT, "%.2f ms (%.2f–%.2f)", Stats.median(v), min, max);
    }

    private static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("exit " + p.exitValue() + ": " + String.join(" ", cmd) + "\n" + out);
        }
        String last = "";
        for (String line : out.split("\n")) {
            if (line.startsWith("{")) {
                last = line;
            }
        }
        return last;
    }
}
