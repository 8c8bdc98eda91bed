package org.multiprocessing4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mp4j tour cluster} in its own JVM: 3 members start as its children's children, the pool and
 * producer/consumer programs run on them, every task names a member and a worker pid, the members leave.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class TourClusterIT {
    @TempDir
    Path dir;

    @Test
    void theClusterSectionRunsTheSeedsProgramsOnThreeMembersAndStopsThem() throws Exception {
        Path out = dir.resolve("out.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Dmp4j.aot=false", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "tour", "--timeout", "240", "cluster")
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            assertThat(p.waitFor(280, TimeUnit.SECONDS)).as("the tour ended").isTrue();
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String text = Files.readString(out);
        System.out.println(text);
        assertThat(p.exitValue()).as(text).isZero();
        Matcher members = Pattern.compile("main: members \\{(.*)\\} \\(pid=address\\)").matcher(text);
        assertThat(members.find()).as("the members line").isTrue();
        List<String> memberPids = Pattern.compile("(\\d+)=127\\.0\\.0\\.1:\\d+").matcher(members.group(1)).results()
                .map(m -> m.group(1)).toList();
        assertThat(memberPids).hasSize(3);
        assertThat(text).contains("== pool-map on the cluster", "map(square, 0..9) = [0, 1, 4, 9, 16, 25, 36, 49, 64, 81]",
                "== queue-producer-consumer on the cluster",
                "main: producer exit code 0, consumer exit code 0, items left in the queue: 0",
                "1 of 1 examples passed", "main: the 3 members left the cluster and ended");
        List<String> taskMembers = Pattern.compile("task \\d: worker pid \\d+ on member 127\\.0\\.0\\.1:\\d+ \\(pid (\\d+)\\)")
                .matcher(text).results().map(m -> m.group(1)).toList();
        assertThat(taskMembers).hasSize(6);
        assertThat(memberPids).containsAll(taskMembers);
        assertThat(text).containsPattern("\\[member 127\\.0\\.0\\.1:\\d+ pid \\d+\\] consumer pid=\\d+: took bun-0");
        for (String pid : memberPids) {
            assertThat(ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false))
                    .as("member " + pid + " ended").isFalse();
        }
    }
}
