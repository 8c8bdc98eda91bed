package org.multiprocessing4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mp4j ls} and {@code mp4j clean} on segments of real processes: one that died without
 * detaching (orphaned) and one whose process is alive (in use). Every JVM here uses a private segment
 * directory ({@code -Dmp4j.shmDir}), so that other processes sweeping {@code /dev/shm} cannot interfere.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SegmentsCommandIT {
    @TempDir
    Path shm;

    private List<String> java(Class<?> main, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Dmp4j.aot=false", "-Dmp4j.shmDir=" + shm,
                // No resource tracker: it would remove the orphans this test must see, within moments
                // (as if the tracker had been killed along with the orphans' process).
                "-Dmp4j.resourceTracker=false",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return command;
    }

    private String run(Class<?> main, String... args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(java(main, args)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private String[] names(String line) {
        String[] words = line.trim().split(" ");
        assertThat(words).as(line).hasSize(4);
        return new String[] {words[1], words[3]};
    }

    private boolean exists(String name) {
        return Files.exists(shm.resolve("mp4j." + name));
    }

    @Test
    void lsShowsOrphanedAndInUseSegmentsAndCleanRemovesOnlyTheOrphans() throws Exception {
        // the holder first: a process's first use of shared memory sweeps orphans, the holder's included
        Process holder = new ProcessBuilder(java(SegmentHolder.class, "hold")).redirectErrorStream(true).start();
        try {
            BufferedReader holderOut = new BufferedReader(
                    new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            String[] held = names(String.valueOf(holderOut.readLine()));
            String[] orphan = names(run(SegmentHolder.class, "orphan"));

            String ls = run(Main.class, "ls");
            assertThat(ls).contains(shm + ": 4 segment(s)", "2 orphaned: 'mp4j clean' removes them");
            assertThat(line(ls, orphan[0])).contains("shared long", "orphaned", "dead").doesNotContain("alive");
            assertThat(line(ls, orphan[1])).contains("rlock", "orphaned", "dead");
            assertThat(line(ls, held[0])).contains("shared long", "in use", holder.pid() + " alive");
            assertThat(line(ls, held[1])).contains("rlock", "in use", holder.pid() + " alive");

            String dry = run(Main.class, "clean", "--dry-run");
            assertThat(dry).contains("would remove " + orphan[0], "would remove " + orphan[1]);
            assertThat(exists(orphan[0]) && exists(orphan[1])).as("a dry run removes nothing").isTrue();

            String clean = run(Main.class, "clean");
            assertThat(clean).contains("removed " + orphan[0] + " (shared long", "removed " + orphan[1] + " (rlock",
                    "removed 2 orphaned segment(s)", "2 segment(s) in use, left alone");
            assertThat(exists(orphan[0]) || exists(orphan[1])).as("orphans after clean").isFalse();
            assertThat(exists(held[0]) && exists(held[1])).as("segments in use after clean").isTrue();
        } finally {
            holder.getOutputStream().close();
            if (!holder.waitFor(30, TimeUnit.SECONDS)) {
                holder.destroyForcibly();
                throw new AssertionError("the holder did not exit when its stdin closed");
            }
        }
        try (Stream<Path> left = Files.list(shm)) {
            assertThat(left.map(Path::getFileName).map(Path::toString))
                    .as("the holder removed its segments as it exited").isEmpty();
        }
        assertThat(run(Main.class, "clean")).contains("no orphaned segments");
    }

    private static String line(String text, String name) {
        return text.lines().filter(l -> l.startsWith(name + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no line for " + name + " in:\n" + text));
    }
}
