package org.multiprocessing4j.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LaunchTimelineTest {

    private static Map<String, Object> run(String side, String variant, List<Double> totals, List<Double> floorTotals) {
        Map<String, Object> timeline = new LinkedHashMap<>();
        timeline.put("boot", List.of(30.0, 32.0, 34.0));
        timeline.put("total", totals);
        Map<String, Object> floor = new LinkedHashMap<>();
        floor.put("boot", List.of(25.0, 26.0, 27.0));
        floor.put("exit", List.of(6.0, 6.0, 6.0));
        floor.put("total", floorTotals);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("timeline", timeline);
        result.put("floor", floor);
        result.put("floor_aot_cache", true);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("side", side);
        run.put("variant", variant);
        run.put("result", result);
        return run;
    }

    @Test
    void theDistanceToTheFloorIsTakenPerRoundAndPrinted() {
        List<Map<String, Object>> runs = List.of(
                run("timeline", "aot", List.of(50.0, 60.0, 70.0), List.of(30.0, 30.0, 30.0)),
                run("java", "aot", List.of(1.0), List.of(1.0)), // a row's run: not part of the timeline
                run("timeline", "aot", List.of(40.0, 45.0, 50.0), List.of(35.0, 35.0, 35.0)));
        Map<String, Object> summary = LaunchTimeline.summarise(runs);
        @SuppressWarnings("unchecked")
        Map<String, Object> aot = (Map<String, Object>) summary.get("aot");
        assertThat(aot).containsEntry("starts", 6).containsEntry("distance_rounds_ms", List.of(30.0, 10.0))
                .containsEntry("distance_median_ms", 20.0);
        String block = LaunchTimeline.block(summary);
        assertThat(block).contains("AOT cache (6 starts)", "+20.0 ms (+10.0 to +30.0)", "java -XX:AOTCache=… Hello",
                "| boot");
    }

    @Test
    void noTimelineRunsNoBlock() {
        assertThat(LaunchTimeline.summarise(List.of(run("java", "aot", List.of(1.0), List.of(1.0))))).isEmpty();
    }
}
