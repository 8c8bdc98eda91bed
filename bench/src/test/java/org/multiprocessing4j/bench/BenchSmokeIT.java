package org.multiprocessing4j.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The bench in its quickest form (one round, one row: start+join, and pool creation, CPython spawn vs
 * ours cold): real processes on both sides, and the JSON and HTML it writes. Structure only, never
 * timings.
 */
class BenchSmokeIT {

    @AfterEach
    void noProcessLeftBehind() throws Exception {
        for (ProcessHandle p : ProcessHandle.current().descendants().toList()) {
            try {
                p.onExit().get(10, TimeUnit.SECONDS); // a JVM may still be running its exit hooks
            } catch (java.util.concurrent.TimeoutException e) {
                // reported below
            }
        }
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))).isEmpty();
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void quickRunWritesJsonAndHtmlWithTheRows(@TempDir Path out) throws Exception {
        quickRun(out, "start-join/spawn-cold", "start+join", "start_join");
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void quickPoolRowWritesJsonAndHtml(@TempDir Path out) throws Exception {
        quickRun(out, "pool-create/spawn-cold", "pool create + first result", "create_first");
    }

    private static void quickRun(Path out, String id, String label, String metric) throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        int code;
        try (PrintStream ps = new PrintStream(console, true, StandardCharsets.UTF_8)) {
            code = new CommandLine(new BenchCommand(ps)).execute("--quick", "--rounds", "1",
                    "--only", id, "--out", out.toString());
        }
        String text = console.toString(StandardCharsets.UTF_8);
        assertThat(code).as(text).isZero();
        assertThat(text).contains("round 1/1", "| workload", label);

        List<Path> files;
        try (Stream<Path> s = Files.list(out)) {
            files = s.toList();
        }
        Path json = files.stream().filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
        Path html = files.stream().filter(p -> p.toString().endsWith(".html")).findFirst().orElseThrow();

        Map<String, Object> doc = Json.parseObject(Files.readString(json));
        assertThat(doc).containsKeys("environment", "rows", "runs", "rounds", "n");
        @SuppressWarnings("unchecked")
        Map<String, Object> env = (Map<String, Object>) doc.get("environment");
        assertThat(env).containsKeys("cpu_model", "cpu_count", "python", "java", "commit", "date");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) doc.get("rows");
        assertThat(rows).extracting(r -> r.get("id")).containsExactly(id);
        assertThat(rows.getFirst()).containsKeys("cpython_median", "ours_median", "unit", "target")
                .containsEntry("metric", metric);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> runs = (List<Map<String, Object>>) doc.get("runs");
        boolean havePython = SideRunner.findPython().isPresent();
        assertThat(runs).extracting(r -> r.get("side"))
                .containsExactlyElementsOf(havePython ? List.of("cpython", "java") : List.of("java"));
        if (havePython) {
            assertThat(rows.getFirst()).containsKeys("ratio_median", "ratio_min", "ratio_max", "ratios");
        } else {
            assertThat(text).contains("skipped CPython: python3 not found");
        }

        String page = Files.readString(html);
        assertThat(page).startsWith("<!DOCTYPE html>").contains("<svg", label, "CPython spawn")
                .doesNotContain("<script src", "<link");
    }
}
