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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code mp4j bench --cluster} in its quickest form: 3 real members on loopback, one round of every row
 * on both backends, the table and the JSON. Structure only, never timings.
 */
class ClusterBenchIT {

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void quickClusterRunMeasuresEveryRowOnBothBackends(@TempDir Path out) throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        int code;
        try (PrintStream ps = new PrintStream(console, true, StandardCharsets.UTF_8)) {
            code = new CommandLine(new BenchCommand(ps)).execute("--cluster", "--quick", "--rounds", "1",
                    "--out", out.toString());
        }
        String text = console.toString(StandardCharsets.UTF_8);
        System.out.println(text);
        assertThat(code).as(text).isZero();
        assertThat(text).contains("pool task round trip", "applyAsync trivial tasks", "map, default chunks",
                "queue, process to process", "queue, batches of 100", "dict get", "applyAsync by members: 1 members", "3 members");
        Path json;
        try (Stream<Path> files = Files.list(out)) {
            json = files.filter(p -> p.toString().endsWith("-cluster.json")).findFirst().orElseThrow();
        }
        Map<String, Object> doc = Json.parseObject(Files.readString(json));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) doc.get("rows");
        assertThat(rows).extracting(r -> r.get("workload"))
                .containsExactly("round_trip", "apply_async", "map_chunks", "queue", "queue_batched", "dict_get");
        for (Map<String, Object> r : rows) {
            assertThat((List<?>) r.get("local")).hasSize(1);
            assertThat((List<?>) r.get("cluster")).hasSize(1);
            assertThat(((Number) r.get("cluster_median")).doubleValue()).isPositive();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> scale = (Map<String, Object>) doc.get("apply_async_by_members");
        assertThat(scale).containsOnlyKeys("1_members", "2_members", "3_members");
    }
}
