package org.multiprocessing4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs each example's {@code main} in its own JVM, as the tour does, and checks from its output the
 * one thing it proves: pids differ, the child's parent is the main process, exit codes are Python's,
 * a daemon dies with its program. Timings are printed by the examples, never asserted.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ExamplesIT {
    private static final Duration LIMIT = Duration.ofSeconds(60);
    /** Every child pid an example reported, to check at the end that none of them survived. */
    private static final Set<Long> CHILD_PIDS = ConcurrentHashMap.newKeySet();
    /** The examples a test here checks; the registry may hold no other. */
    private static final Set<Class<?>> CHECKED = Set.of(CreateProcess.class, FiveProcesses.class,
            MyProcessExample.class, PidPpid.class, DaemonExample.class, TerminateAndAlive.class,
            ExitCodes.class, CpuVsIo.class);

    @TempDir
    static Path dir;

    private static JvmRun run(Class<?> example) throws Exception {
        JvmRun run = JvmRun.of(dir, LIMIT, example.getName());
        run.check(() -> assertThat(run.exitCode()).as("exit code of the example's JVM").isZero());
        return run;
    }

    @Test
    void everyRegisteredExampleIsCheckedHere() {
        Set<Class<?>> registered = Examples.all().stream().map(Examples.Example::mainClass).collect(Collectors.toSet());
        assertThat(registered).isEqualTo(CHECKED);
        assertThat(Examples.all()).extracting(Examples.Example::name)
                .doesNotHaveDuplicates()
                .allMatch(name -> name.matches("[a-z]+(-[a-z]+)*"), "kebab-case");
    }

    @Test
    void createProcess() throws Exception {
        JvmRun run = run(CreateProcess.class);
        run.check(() -> {
            long main = run.number("main: pid=(\\d+)");
            long child = run.number("child: pid=(\\d+) ppid=\\d+");
            CHILD_PIDS.add(child);
            assertThat(child).as("child pid").isNotEqualTo(main);
            assertThat(run.number("child: pid=\\d+ ppid=(\\d+)")).as("child's parent pid").isEqualTo(main);
            assertThat(run.out()).contains("child: name argument = child-1, currentProcess().name() = child-1");
            assertThat(run.out().indexOf("main ends")).as("main ends after the child printed")
                    .isGreaterThan(run.out().indexOf("child: pid="));
        });
    }

    @Test
    void fiveProcesses() throws Exception {
        JvmRun run = run(FiveProcesses.class);
        run.check(() -> {
            long main = run.number("Current process pid=(\\d+)\\.");
            List<List<String>> lines = run.all("Child process (\\d) \\(pid=(\\d+)\\) is running\\.");
            assertThat(lines).extracting(l -> l.get(0)).containsExactly("0", "1", "2", "3", "4");
            Set<Long> pids = pids(lines, 1);
            assertThat(pids).hasSize(5).doesNotContain(main);
        });
    }

    @Test
    void myProcessSubclassFieldsTravel() throws Exception {
        JvmRun run = run(MyProcessExample.class);
        run.check(() -> {
            long main = run.number("main: pid=(\\d+)");
            for (int i = 0; i < 3; i++) {
                assertThat(run.out()).contains("child process-" + i + ": fields arrived: label=process-" + i
                        + ", napMillis=800, createdInPid=" + main);
            }
            List<List<String>> children = run.all("child process-\\d: pid=(\\d+) ppid=(\\d+)");
            assertThat(pids(children, 0)).hasSize(3).doesNotContain(main);
            assertThat(pids(children, 1)).containsExactly(main);
        });
    }

    @Test
    void pidPpid() throws Exception {
        JvmRun run = run(PidPpid.class);
        run.check(() -> {
            long main = run.number("main: pid=(\\d+) ppid=\\d+");
            long child = run.number("child: pid=(\\d+) ppid=\\d+");
            CHILD_PIDS.add(child);
            assertThat(child).isNotEqualTo(main);
            assertThat(run.number("child: pid=\\d+ ppid=(\\d+)")).isEqualTo(main);
            assertThat(run.out()).contains("main: parentProcess() = none")
                    .contains("child: currentProcess() = ProcessInfo[name=child-bob, pid=" + child + ", parentPid=" + main)
                    .contains("child: parentProcess() = ProcessInfo[name=MainProcess, pid=" + main)
                    .contains("child: hello bob");
        });
    }

    @Test
    void daemonEndsWithMainAndHasNoChildren() throws Exception {
        JvmRun run = run(DaemonExample.class);
        run.check(() -> {
            assertThat(run.out()).contains("daemon: start() refused: IllegalStateException: "
                    + "daemonic processes are not allowed to have children")
                    .doesNotContain("never printed", "should not happen");
            long daemon = run.number("at exit: daemon pid=(\\d+) was ended with the main process");
            CHILD_PIDS.add(daemon);
            assertThat(run.number("was ended with the main process, exit code (-?\\d+)")).as("SIGTERM, as Python")
                    .isEqualTo(-15);
            assertThat(run.out().indexOf("worker: non-daemon pid=")).as("the worker finished after main() returned")
                    .isGreaterThan(run.out().indexOf("main: main() returns now"));
            assertThat(ProcessHandle.of(daemon).filter(ProcessHandle::isAlive)).as("the daemon's process").isEmpty();
        });
    }

    @Test
    void terminateAndIsAlive() throws Exception {
        JvmRun run = run(TerminateAndAlive.class);
        run.check(() -> {
            CHILD_PIDS.add(run.number("after start\\(\\): name=egon pid=(\\d+) isAlive=true"));
            assertThat(run.out()).contains("before start(): isAlive=false exitCode=OptionalInt.empty")
                    .contains("join(500 ms) returned false: the timeout expired, isAlive=true")
                    .contains("after join(): isAlive=false exitCode=-15")
                    .contains("active children now: 0")
                    .doesNotContain("should not happen");
        });
    }

    @Test
    void exitCodesArePythons() throws Exception {
        JvmRun run = run(ExitCodes.class);
        run.check(() -> {
            Map<String, Integer> codes = run.all("(?m)^(\\S+) +pid=(\\d+) +.*exitCode=(-?\\d+)$").stream()
                    .peek(l -> CHILD_PIDS.add(Long.parseLong(l.get(1))))
                    .collect(Collectors.toMap(l -> l.get(0), l -> Integer.parseInt(l.get(2))));
            assertThat(codes).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "normal", 0, "exit-3", 3, "throws", 1, "terminated", -15, "killed", -9));
            assertThat(run.err()).contains("java.lang.IllegalStateException: an uncaught exception in the child")
                    .contains("at org.multiprocessing4j.examples.ExitCodes");
        });
    }

    @Test
    void cpuVsIo() throws Exception {
        JvmRun run = run(CpuVsIo.class);
        run.check(() -> {
            long main = run.number("main: pid=(\\d+), cpuCount\\(\\)=\\d+");
            List<List<String>> cpu = run.all("cpu task \\d+: (\\d+) primes below \\d+ \\(pid=(\\d+)\\)");
            assertThat(cpu).extracting(l -> l.get(0)).containsOnly("315948"); // the work was done, and right
            assertThat(cpu.size()).isEven().isPositive();
            Set<Long> ioPids = pids(run.all("io task \\d+: waited 500 ms \\(pid=(\\d+)\\)"), 0);
            assertThat(ioPids).as("main's pid and the 4 IO processes' pids").hasSize(5).contains(main);
            assertThat(run.out()).containsPattern("CPU-bound: serial [\\d.]+ s, \\d+ processes [\\d.]+ s, speed-up")
                    .containsPattern("IO-bound: serial [\\d.]+ s, 4 processes [\\d.]+ s, speed-up");
        });
    }

    private static Set<Long> pids(List<List<String>> lines, int group) {
        Set<Long> pids = new HashSet<>();
        lines.forEach(l -> pids.add(Long.parseLong(l.get(group))));
        CHILD_PIDS.addAll(pids);
        return pids;
    }

    /** No JVM of ours is left: not the examples' (our children), nor any child they reported (re-parented ones). */
    @AfterAll
    static void noProcessLeftBehind() throws Exception {
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList())
                .as("processes under the test JVM").isEmpty();
        for (long pid : CHILD_PIDS) {
            ProcessHandle.of(pid).filter(ExamplesIT::isOurJvm).ifPresent(h -> {
                h.destroyForcibly();
                throw new AssertionError("a child JVM an example started is still running: " + h.info());
            });
        }
    }

    private static boolean isOurJvm(ProcessHandle h) {
        return h.isAlive() && h.info().commandLine().orElse("").contains("org.multiprocessing4j");
    }
}
