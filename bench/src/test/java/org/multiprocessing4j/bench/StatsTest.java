package org.multiprocessing4j.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void medianOfAnOddCountIsTheMiddleValue() {
        assertThat(Stats.median(List.of(5.0, 1.0, 3.0))).isEqualTo(3.0);
        assertThat(Stats.median(List.of(7))).isEqualTo(7.0);
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
        assertThat(Stats.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    }

    @Test
    void medianOfNothingIsRefused() {
        assertThatThrownBy(() -> Stats.median(List.<Double>of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ratioIsCpythonOverOursSoAboveOneMeansFaster() {
        assertThat(Stats.ratio(50, 25)).isEqualTo(2.0);
        assertThat(Stats.ratio(10, 40)).isEqualTo(0.25);
        assertThatThrownBy(() -> Stats.ratio(0, 1)).hasMessageContaining("0.0");
        assertThatThrownBy(() -> Stats.ratio(1, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ratiosArePairedRoundByRoundThenSummarised() {
        Stats.RatioSummary s = Stats.ratios(List.of(50.0, 60.0, 40.0), List.of(100.0, 20.0, 40.0));
        assertThat(s.ratios()).containsExactly(0.5, 3.0, 1.0);
        assertThat(s.median()).isEqualTo(1.0);
        assertThat(s.min()).isEqualTo(0.5);
        assertThat(s.max()).isEqualTo(3.0);
    }

    @Test
    void roundsThatDoNotPairUpAreRefused() {
        assertThatThrownBy(() -> Stats.ratios(List.of(1.0), List.of(1.0, 2.0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 and 2");
    }

    @Test
    void sidesAreInterleavedCpythonFirst() {
        assertThat(BenchCommand.interleave(List.of("spawn", "forkserver", "fork"), List.of("cold", "aot")))
                .containsExactly("py:spawn", "jv:cold", "py:forkserver", "jv:aot", "py:fork");
        assertThat(BenchCommand.interleave(List.of(), List.of("cold"))).containsExactly("jv:cold");
    }

    @Test
    void jsonRoundTripsWhatTheWorkloadsPrint() {
        String line = "{\"workload\": \"start_join\", \"n\": 3, \"start_join_ms\": [1.5, 2.25e1], \"ok\": true,"
                + " \"none\": null, \"s\": \"a\\\"b\\u00e9\"}";
        Map<String, Object> m = Json.parseObject(line);
        assertThat(m).containsEntry("workload", "start_join").containsEntry("n", 3.0).containsEntry("ok", true)
                .containsEntry("none", null).containsEntry("s", "a\"bé");
        assertThat(m.get("start_join_ms")).isEqualTo(List.of(1.5, 22.5));
        assertThat(Json.parseObject(Json.write(m, true))).isEqualTo(m);
        assertThat(Json.write(Map.of("x", 2.0), false)).isEqualTo("{\"x\":2}");
    }

    @Test
    void rowIdsSelectWithOnly() {
        List<Row> rows = Row.startJoin();
        assertThat(rows.stream().filter(r -> r.matches(List.of("warm"))).map(Row::ours)).containsOnly("warm");
        assertThat(rows.stream().filter(r -> r.matches(List.of()))).hasSameSizeAs(rows);
        assertThat(rows.stream().filter(r -> r.matches(List.of("start-join/spawn-cold")))).hasSize(1);
    }

    @Test
    void targetIsMetWhenTheMedianRatioReachesIt() {
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        row.put("ratio_median", 1.2);
        row.put("ratio_min", 0.9);
        row.put("ratio_max", 1.5);
        row.put("target", "≤ spawn");
        row.put("met", true);
        assertThat(Report.ratioText(row)).isEqualTo("1.20× (0.90–1.50)");
        assertThat(Report.targetText(row)).contains("met").doesNotContain("not");
        assertThat(1.2).isCloseTo(Stats.ratio(60, 50), within(1e-12));
    }

    @Test
    void forThroughputsAndSpeedUpsTheRatioIsOursOverCpython() {
        Stats.RatioSummary s = Stats.ratios(List.of(20_000.0, 10_000.0), List.of(100_000.0, 80_000.0), true);
        assertThat(s.ratios()).containsExactly(5.0, 8.0);
        assertThat(Stats.ratios(List.of(50.0), List.of(25.0), false).ratios()).containsExactly(2.0);
    }

    @Test
    void everyRowHasAUniqueIdAndAWorkloadWhoseScriptExists() {
        List<Row> rows = Row.all();
        assertThat(rows).extracting(Row::id).doesNotHaveDuplicates();
        assertThat(rows.stream().filter(r -> r.matches(List.of("pool")))).allMatch(r -> r.id().startsWith("pool-"))
                .hasSize(Row.pool().size());
        for (Row r : rows) {
            assertThat(Workload.scripts()).contains(r.workload().script());
            assertThat(java.nio.file.Path.of("python", r.workload().script())).as(r.id()).isRegularFile();
        }
        assertThat(Row.pool()).filteredOn(r -> r.unit() == Row.Unit.PER_S).extracting(Row::field)
                .allMatch(f -> f.endsWith("_median_per_s"));
    }

    @Test
    void figuresAreShownInTheirUnit() {
        assertThat(Report.format(41.25, Row.Unit.MS)).isEqualTo("41.3 ms");
        assertThat(Report.format(35_712.0, Row.Unit.PER_S)).isEqualTo("35.7k/s");
        assertThat(Report.format(4_314_851.0, Row.Unit.PER_S)).isEqualTo("4.31M/s");
        assertThat(Report.format(1.574, Row.Unit.TIMES)).isEqualTo("1.57×");
        assertThat(Report.format(null, Row.Unit.MS)).isEqualTo("—");
    }
}
