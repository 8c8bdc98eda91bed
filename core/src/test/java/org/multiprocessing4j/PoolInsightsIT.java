package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code pool.insights()} on a real pool: where each worker's time went, and which tasks were slow. */
@Timeout(120)
class PoolInsightsIT extends ProcessTestSupport {

    private static final Duration SLOW = Duration.ofMillis(200);

    /** The work: slow only in the worker whose pid is {@code slowPid}. */
    static int slowIn(long slowPid, int x) {
        if (ProcessHandle.current().pid() == slowPid) {
            LockSupport.parkNanos(SLOW.toNanos());
        }
        return x;
    }

    @Test
    void aDeliberatelySlowWorkerIsSingledOut() {
        try (ProcessPool pool = Multiprocessing.local().poolBuilder().processes(2).insights(true).build()) {
            awaitCondition("both workers connected", Duration.ofSeconds(60), () -> pool.workerPids().size() == 2);
            long slow = pool.workerPids().getFirst();
            List<Integer> items = IntStream.range(0, 60).boxed().toList();
            assertThat(pool.map((Integer x) -> slowIn(slow, x), items, 1)).isEqualTo(items);

            PoolInsights insights = pool.insights();
            assertThat(insights.workers()).hasSize(2).allSatisfy(w -> {
                assertThat(w.alive()).isTrue();
                assertThat(w.startup()).isPositive();
                assertThat(w.lifetime()).isGreaterThanOrEqualTo(w.startup().plus(w.working()));
            });
            assertThat(insights.workers().stream().mapToLong(PoolInsights.Worker::tasks).sum()).isEqualTo(60);
            PoolInsights.Worker slowest = insights.workers().stream()
                    .max(Comparator.comparing(PoolInsights.Worker::working)).orElseThrow();
            assertThat(slowest.pid()).as("the worker that worked longest").isEqualTo(slow);
            assertThat(slowest.tasks()).as("the slow worker ran some (the pool gives it fewer)").isPositive();
            assertThat(slowest.working()).isGreaterThanOrEqualTo(SLOW.multipliedBy(slowest.tasks()));
            List<PoolInsights.SlowTask> slowTasks = insights.slowest();
            assertThat(slowTasks).hasSize(PoolInsights.SLOWEST);
            assertThat(slowTasks.getFirst().pid()).as("the slowest task ran in the slow worker").isEqualTo(slow);
            assertThat(slowTasks).isSortedAccordingTo(Comparator.comparing(PoolInsights.SlowTask::duration).reversed());
            long fromSlowWorker = slowTasks.stream().filter(t -> t.pid() == slow).count();
            assertThat(slowTasks.subList(0, (int) fromSlowWorker)).as("the slow worker's tasks come first")
                    .allSatisfy(t -> {
                        assertThat(t.pid()).isEqualTo(slow);
                        assertThat(t.duration()).isGreaterThanOrEqualTo(SLOW);
                    });
            assertThat(fromSlowWorker).isEqualTo(Math.min(PoolInsights.SLOWEST, slowest.tasks()));
            assertThat(slowTasks).allSatisfy(t -> assertThat(t.arguments()).as("a chunk's one item").matches("\\[\\d+\\]"));
            String summary = insights.summary();
            assertThat(summary).contains("Pool insights: 2 worker(s)").contains(String.valueOf(slow))
                    .contains("share of time").contains("Slowest tasks:").contains("pid " + slow);
        }
    }

    /** Insights are opt-in (mpire's enable_insights): a pool built without them says so, and works as ever. */
    @Test
    void aPoolBuiltWithoutInsightsSaysHowToTurnThemOn() {
        try (ProcessPool pool = Multiprocessing.local().pool(2)) {
            List<Integer> items = IntStream.range(0, 200).boxed().toList();
            assertThat(pool.map((Integer x) -> x * 2, items, 1)).isEqualTo(items.stream().map(x -> x * 2).toList());
            assertThatThrownBy(pool::insights).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("insights(true)");
        }
    }

    @Test
    void aReplacedWorkersTimeIsKept() {
        try (ProcessPool pool = Multiprocessing.local().poolBuilder().processes(1).maxTasksPerChild(2).insights(true)
                .build()) {
            for (int i = 0; i < 6; i++) {
                int n = i;
                assertThat(pool.apply(() -> n)).isEqualTo(n);
            }
            awaitCondition("three workers seen", Duration.ofSeconds(60), () -> pool.insights().workers().size() >= 3);
            PoolInsights insights = pool.insights();
            assertThat(insights.workers().stream().filter(w -> !w.alive()).count()).isGreaterThanOrEqualTo(2);
            assertThat(insights.totals().tasks()).isEqualTo(6);
            assertThat(insights.workers().stream().map(PoolInsights.Worker::pid).distinct().count())
                    .isEqualTo(insights.workers().size());
        }
    }
}
