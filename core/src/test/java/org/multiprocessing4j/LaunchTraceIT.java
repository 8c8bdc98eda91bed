package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code -Dmp4j.trace.launch=true}: the parent prints one timeline per child at {@code join()}, with
 * the child's own stamps (which came back on its stderr and are not shown to the user), and the
 * phases follow each other on the one monotonic clock of the machine.
 */
class LaunchTraceIT extends ProcessTestSupport {

    /** Two children: one that writes on stderr without a final newline, one that calls System.exit. */
    public static final class Subject {
        public static void main(String[] args) {
            Context ctx = Multiprocessing.local();
            ChildProcess first = ctx.process(() -> {
                System.err.print("no newline");
                System.err.flush();
            }).name("first").start();
            first.join();
            ChildProcess second = ctx.process(() -> System.exit(4)).name("second").start();
            second.join();
            var timelines = org.multiprocessing4j.internal.launch.LaunchTrace.recent();
            System.out.println("kept " + timelines.size());
            for (var t : timelines) {
                long[] s = t.stamps();
                System.out.println("stamps " + t.name() + " " + java.util.Arrays.toString(s));
            }
        }
    }

    @Test
    void eachChildGetsOneTimelineLineWithItsOwnStampsAndTheTraceLineIsNotShown() {
        JvmResult run = runJvm(Subject.class, List.of("-Dmp4j.trace.launch=true"), Duration.ofSeconds(90));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<String> lines = run.stderr().lines().filter(l -> l.contains("mp4j launch trace:")).toList();
        assertThat(lines).as(run.toString()).hasSize(2);
        assertThat(lines.get(0)).contains("first (pid ").contains(" spawn ", " boot ", " frame ", " deserialize ",
                " to target ", " run ", " to exit ", " exit ", " join ").contains("; total ").endsWith(" ms");
        // the child's words before its trace line are kept, the trace line itself is not
        assertThat(run.stderr()).as(run.toString()).startsWith("no newline").doesNotContain("\u001emp4j:trace");
        // System.exit: the target never returned, the other phases are there
        assertThat(lines.get(1)).contains("second (pid ").doesNotContain(" run ").contains(" to exit ", " exit ");
        assertThat(run.stdout()).contains("kept 2");
        run.stdout().lines().filter(l -> l.startsWith("stamps first ")).forEach(l -> {
            long[] s = parse(l);
            // start ≤ main ≤ frame ≤ deserialized ≤ started ≤ returned ≤ exit began ≤ seen ≤ joined, and
            // start ≤ spawned ≤ exit seen: the child may reach its main before the parent's thread, descheduled
            // on a busy machine, returns from ProcessBuilder.start (seen: main 9 ms before spawned)
            for (int i : new int[] {1, 3, 4, 5, 6, 7, 8, 9, 10}) {
                assertThat(s[i]).as("stamp %d of %s", i, l).isPositive();
            }
            assertThat(new long[] {s[0], s[3], s[4], s[5], s[6], s[7], s[8], s[9], s[10]}).isSorted();
            assertThat(new long[] {s[0], s[1], s[9]}).isSorted();
            assertThat(s[2]).as("frame written before it is read").isLessThanOrEqualTo(s[4]);
        });
    }

    @Test
    void withoutTheSettingNothingIsPrinted() {
        JvmResult run = runJvm(Subject.class, List.of(), Duration.ofSeconds(90));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stderr()).doesNotContain("mp4j launch trace").doesNotContain("\u001emp4j:trace");
        assertThat(run.stdout()).contains("kept 0");
    }

    private static long[] parse(String line) {
        String list = line.substring(line.indexOf('[') + 1, line.indexOf(']'));
        return java.util.Arrays.stream(list.split(", ")).mapToLong(Long::parseLong).toArray();
    }
}
