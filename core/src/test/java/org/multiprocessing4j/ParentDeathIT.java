package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No orphans: a child ends when its parent dies, even by SIGKILL; at a normal exit the parent waits
 * for non-daemon children and terminates daemon ones.
 */
class ParentDeathIT extends ProcessTestSupport {

    /** A parent that starts two long-sleeping children, one a daemon, reports their pids, then waits. */
    public static final class SleepyParent {
        public static void main(String[] args) throws Exception {
            ChildProcess plain = Multiprocessing.local().process(() -> sleep(Duration.ofSeconds(120))).start();
            ChildProcess daemon = Multiprocessing.local().process(() -> sleep(Duration.ofSeconds(120)))
                    .daemon(true).start();
            Files.writeString(Path.of(args[0]), plain.pid() + " " + daemon.pid());
            Thread.sleep(Duration.ofSeconds(120));
        }
    }

    /** A parent whose main returns at once: a non-daemon child that finishes, a daemon that would not. */
    public static final class ReturningParent {
        public static void main(String[] args) throws Exception {
            String done = args[0] + ".done";
            ChildProcess plain = Multiprocessing.local().process(() -> {
                sleep(Duration.ofMillis(500));
                write(done, "finished");
            }).start();
            ChildProcess daemon = Multiprocessing.local().process(() -> sleep(Duration.ofSeconds(120)))
                    .daemon(true).start();
            Files.writeString(Path.of(args[0]), plain.pid() + " " + daemon.pid());
            System.out.println("main returns");
        }
    }

    @TempDir
    Path dir;

    @Test
    void childrenDieWithAParentKilledBySigkill() throws Exception {
        Path pids = dir.resolve("pids");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dmp4j.aot=false", "-cp", System.getProperty("java.class.path"),
                SleepyParent.class.getName(), pids.toString()));
        Process parent = new ProcessBuilder(command).inheritIO().start();
        try {
            waitForFile(pids, parent);
            List<ProcessHandle> children = handles(Files.readString(pids));
            assertThat(children).allMatch(ProcessHandle::isAlive);
            parent.destroyForcibly();
            parent.waitFor();
            for (ProcessHandle child : children) {
                child.onExit().get(10, TimeUnit.SECONDS); // the contract is "within 1 s"; 10 leaves room for a loaded machine
                assertThat(child.isAlive()).isFalse();
            }
        } finally {
            parent.descendants().forEach(ProcessHandle::destroyForcibly);
            parent.destroyForcibly();
        }
    }

    @Test
    void atNormalExitTheParentWaitsForNonDaemonsAndTerminatesDaemons() throws Exception {
        Path pids = dir.resolve("pids2");
        JvmResult result = runJvm(ReturningParent.class, Duration.ofSeconds(60), pids.toString());
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).contains("main returns");
        assertThat(Files.readString(Path.of(pids + ".done"))).as("the non-daemon child finished its work")
                .isEqualTo("finished");
        for (ProcessHandle child : handles(Files.readString(pids))) {
            child.onExit().get(10, TimeUnit.SECONDS);
            assertThat(child.isAlive()).isFalse();
        }
    }

    private static List<ProcessHandle> handles(String pids) {
        List<ProcessHandle> handles = new ArrayList<>();
        for (String pid : pids.trim().split(" ")) {
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(handles::add);
        }
        return handles;
    }

    private static void waitForFile(Path file, Process parent) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(file) || Files.size(file) == 0) {
            assertThat(parent.isAlive()).as("parent still running").isTrue();
            assertThat(System.nanoTime()).as("the parent reported its children in time").isLessThan(deadline);
            parent.onExit().completeOnTimeout(null, 20, TimeUnit.MILLISECONDS).get();
        }
    }
}
