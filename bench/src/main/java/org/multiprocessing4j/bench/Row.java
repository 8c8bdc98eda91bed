package org.multiprocessing4j.bench;

import java.util.List;

/**
 * One line of the table: a metric of a workload, CPython with one start method beside ours with one
 * variant, and the target ratio (CPython's time ÷ ours) if the issue set one.
 *
 * @param id        stable name, matched by {@code --only}: {@code start-join/spawn-cold}
 * @param metric    the field of the workloads' result lines, without {@code _median_ms}
 * @param target    the least ratio that meets the target, or {@code null} for none
 */
record Row(String id, String workload, String metric, String cpython, String ours, Double target,
        String targetText) {

    /** The rows of the start+join workload. Targets: start+join ≤ spawn; warm spare ≤ forkserver. */
    static List<Row> startJoin() {
        return List.of(
                new Row("start-join/spawn-cold", "start+join", "start_join", "spawn", "cold", 1.0, "≤ spawn"),
                new Row("start-join/spawn-aot", "start+join", "start_join", "spawn", "aot", 1.0, "≤ spawn"),
                new Row("start-join/forkserver-warm", "start+join", "start_join", "forkserver", "warm", 1.0,
                        "≤ forkserver"),
                new Row("start-join/fork-warm", "start+join", "start_join", "fork", "warm", null, "—"),
                new Row("first-line/spawn-cold", "start→first line", "first_line", "spawn", "cold", null, "—"),
                new Row("first-line/spawn-aot", "start→first line", "first_line", "spawn", "aot", null, "—"),
                new Row("first-line/forkserver-warm", "start→first line", "first_line", "forkserver", "warm", null,
                        "—"),
                new Row("first-line/fork-warm", "start→first line", "first_line", "fork", "warm", null, "—"));
    }

    /** Ours, as the table shows it. */
    static String oursLabel(String variant) {
        return switch (variant) {
            case "cold" -> "cold (no AOT)";
            case "aot" -> "AOT cache";
            case "warm" -> "warm spare";
            default -> variant;
        };
    }

    boolean matches(List<String> only) {
        return only.isEmpty() || only.stream().anyMatch(id::contains);
    }
}
