package org.multiprocessing4j.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The start+join workload's launch timeline: per round, a side of ours with
 * {@code -Dmp4j.trace.launch=true} ({@code StartJoinWorkload --timeline}) that times, start by start,
 * the JVM's floor ({@link LaunchFloor}) and our phases; here, the medians of every start of every round,
 * and the distance to the floor (per round, our median total − the floor's; its median, min and max).
 */
final class LaunchTimeline {
    /** The {@code side} of a timeline run in the results. */
    static final String SIDE = "timeline";
    static final List<String> ARGS = List.of("--timeline");
    private static final List<String> COLUMNS = List.of("spawn", "boot", "frame", "deserialize", "to target", "run",
            "to exit", "exit", "join", "total");

    private LaunchTimeline() {}

    /** The progress line's figures for one run. */
    static String progress(Map<String, Object> result) {
        return String.format(Locale.ROOT, "total %.1f ms, floor %.1f ms", median(phases(result, "timeline").get("total")),
                median(phases(result, "floor").get("total")));
    }

    /** Per variant of ours its phases' medians and distance to the floor; and the floor's. Empty if none ran. */
    static Map<String, Object> summarise(List<Map<String, Object>> runs) {
        Map<String, Map<String, List<Double>>> pooled = new LinkedHashMap<>();
        Map<String, List<Double>> distances = new LinkedHashMap<>();
        Map<String, List<Double>> floor = new LinkedHashMap<>();
        boolean floorCached = true;
        for (Map<String, Object> run : runs) {
            if (!SIDE.equals(run.get("side")) || !(run.get("result") instanceof Map<?, ?> r)) {
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> result = (Map<String, Object>) r;
            String variant = (String) run.get("variant");
            Map<String, List<Double>> ours = phases(result, "timeline");
            Map<String, List<Double>> floors = phases(result, "floor");
            ours.forEach((phase, values) -> pooled.computeIfAbsent(variant, k -> new LinkedHashMap<>())
                    .computeIfAbsent(phase, k -> new ArrayList<>()).addAll(values));
            floors.forEach((phase, values) -> floor.computeIfAbsent(phase, k -> new ArrayList<>()).addAll(values));
            distances.computeIfAbsent(variant, k -> new ArrayList<>())
                    .add(median(ours.get("total")) - median(floors.get("total")));
            floorCached &= Boolean.TRUE.equals(result.get("floor_aot_cache"));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        if (pooled.isEmpty()) {
            return out;
        }
        Map<String, Double> floorMedians = medians(floor);
        pooled.forEach((variant, phases) -> {
            Map<String, Object> v = new LinkedHashMap<>();
            Map<String, Double> medians = medians(phases);
            v.put("label", Row.oursLabel(variant));
            v.put("starts", phases.getOrDefault("total", List.of()).size());
            v.put("phases_median_ms", medians);
            List<Double> d = distances.get(variant);
            v.put("distance_rounds_ms", d);
            v.put("distance_median_ms", Stats.median(d));
            v.put("distance_min_ms", d.stream().mapToDouble(Double::doubleValue).min().orElseThrow());
            v.put("distance_max_ms", d.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
            v.put("times_the_floor", medians.get("total") / floorMedians.get("total"));
            out.put(variant, v);
        });
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("command", floorCached ? "java -XX:AOTCache=… Hello" : "java Hello (no AOT cache: not a JAR)");
        f.put("starts", floor.getOrDefault("total", List.of()).size());
        f.put("phases_median_ms", floorMedians);
        out.put("floor", f);
        return out;
    }

    /** The printed block: one line per variant of ours, one for the floor, in milliseconds. */
    @SuppressWarnings("unchecked")
    static String block(Map<String, Object> summary) {
        Map<String, Object> floor = (Map<String, Object>) summary.get("floor");
        List<String[]> lines = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("launch phases, median ms"));
        header.addAll(COLUMNS);
        header.add("distance to the floor");
        lines.add(header.toArray(String[]::new));
        summary.forEach((variant, value) -> {
            if (variant.equals("floor")) {
                return;
            }
            Map<String, Object> v = (Map<String, Object>) value;
            Map<String, Double> phases = (Map<String, Double>) v.get("phases_median_ms");
            List<String> line = new ArrayList<>(List.of(v.get("label") + " (" + v.get("starts") + " starts)"));
            COLUMNS.forEach(c -> line.add(ms(phases.get(c))));
            line.add(String.format(Locale.ROOT, "%+.1f ms (%+.1f to %+.1f), %.2f× the floor",
                    (Double) v.get("distance_median_ms"), (Double) v.get("distance_min_ms"),
                    (Double) v.get("distance_max_ms"), (Double) v.get("times_the_floor")));
            lines.add(line.toArray(String[]::new));
        });
        Map<String, Double> fp = (Map<String, Double>) floor.get("phases_median_ms");
        List<String> line = new ArrayList<>(List.of("floor: " + floor.get("command")));
        COLUMNS.forEach(c -> line.add(c.equals("exit") ? ms(fp.get("exit")) + "*" : ms(fp.get(c))));
        line.add("");
        lines.add(line.toArray(String[]::new));
        StringBuilder sb = new StringBuilder(table(lines));
        sb.append("(-Dmp4j.trace.launch=true, same rounds as the rows above; the floor's exit* runs from its main to "
                + "the exit seen.)\n");
        return sb.toString();
    }

    private static String table(List<String[]> lines) {
        int cols = lines.get(0).length;
        int[] width = new int[cols];
        for (String[] l : lines) {
            for (int i = 0; i < cols; i++) {
                width[i] = Math.max(width[i], l[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < lines.size(); k++) {
            sb.append('|');
            for (int i = 0; i < cols; i++) {
                String cell = lines.get(k)[i];
                String pad = " ".repeat(width[i] - cell.length());
                sb.append(' ').append(i == 0 || i == cols - 1 ? cell + pad : pad + cell).append(" |");
            }
            sb.append('\n');
            if (k == 0) {
                sb.append('|');
                for (int i = 0; i < cols; i++) {
                    sb.append(' ').append("-".repeat(width[i])).append(i == 0 || i == cols - 1 ? " |" : ":|");
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, List<Double>> phases(Map<String, Object> result, String key) {
        Map<String, List<Double>> out = new LinkedHashMap<>();
        if (result.get(key) instanceof Map<?, ?> m) {
            m.forEach((phase, values) -> {
                List<Double> list = new ArrayList<>();
                for (Object o : (List<Object>) values) {
                    if (o instanceof Number n && !Double.isNaN(n.doubleValue())) {
                        list.add(n.doubleValue());
                    }
                }
                out.put((String) phase, list);
            });
        }
        return out;
    }

    private static Map<String, Double> medians(Map<String, List<Double>> phases) {
        Map<String, Double> out = new LinkedHashMap<>();
        phases.forEach((phase, values) -> {
            if (!values.isEmpty()) {
                out.put(phase, Stats.median(values));
            }
        });
        return out;
    }

    private static double median(List<Double> values) {
        return values == null || values.isEmpty() ? Double.NaN : Stats.median(values);
    }

    private static String ms(Object v) {
        return v instanceof Double d && !d.isNaN() ? String.format(Locale.ROOT, "%.1f", d) : "—";
    }
}
