package org.multiprocessing4j.internal.proc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one sweep: it looks only at the names it is given, removes what its judge finds left over (the
 * owner's pid gone, or too old), keeps what it cannot judge, and never throws.
 */
class SweeperTest {
    @TempDir
    Path dir;

    /** The pid of a process that has run, exited and been reaped. */
    private static long deadPid() throws Exception {
        Process child = new ProcessBuilder("true").start();
        child.waitFor();
        return child.pid();
    }

    @Test
    void whatADeadOwnerLeftIsRemovedAndWhatALiveOneHoldsIsKept() throws Exception {
        long dead = deadPid();
        long live = ProcessHandle.current().pid();
        Files.createFile(dir.resolve("x-" + dead));
        Files.createFile(dir.resolve("x-" + live));
        Files.createFile(dir.resolve("x-notapid"));
        Files.createFile(dir.resolve("y-" + dead)); // not a name this sweeper looks at
        Sweeper sweeper = new Sweeper(name -> name.startsWith("x-"),
                Sweeper.ownerGone(name -> Long.parseLong(name.substring(2))), Sweeper.FILE);

        assertThat(sweeper.sweep(dir)).containsExactly("x-" + dead);
        assertThat(dir.resolve("x-" + dead)).doesNotExist();
        assertThat(dir.resolve("x-" + live)).exists();
        assertThat(dir.resolve("x-notapid")).as("a name without a pid is not ours").exists();
        assertThat(dir.resolve("y-" + dead)).exists();
        assertThat(sweeper.sweep(dir)).as("a second sweep finds nothing").isEmpty();
    }

    @Test
    void aTreeIsRemovedWhole() throws Exception {
        Path tree = Files.createDirectories(dir.resolve("t-" + deadPid()).resolve("a").resolve("b"));
        Files.writeString(tree.resolve("file"), "x");
        Sweeper sweeper = new Sweeper(name -> name.startsWith("t-"),
                Sweeper.both((entry, name) -> Files.isDirectory(entry),
                        Sweeper.ownerGone(name -> Long.parseLong(name.split("-")[1]))),
                Sweeper.TREE);
        assertThat(sweeper.sweep(dir)).hasSize(1);
        try (var left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void onlyWhatIsOlderThanTheAgeIsRemoved() throws IOException {
        Path old = Files.createFile(dir.resolve("k.lock"));
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofMinutes(10))));
        Path fresh = Files.createFile(dir.resolve("k.tmp"));
        Sweeper sweeper = new Sweeper(name -> name.endsWith(".lock") || name.endsWith(".tmp"),
                Sweeper.olderThan(Duration.ofMinutes(5)), Sweeper.FILE);
        assertThat(sweeper.sweep(dir)).containsExactly("k.lock");
        assertThat(fresh).exists();
    }

    @Test
    void aJudgeThatFailsKeepsTheEntryAndAMissingDirectoryIsAnEmptySweep() throws IOException {
        Files.createFile(dir.resolve("z"));
        Sweeper failing = new Sweeper(name -> true, (entry, name) -> {
            throw new IOException("cannot read it");
        }, Sweeper.FILE);
        assertThat(failing.sweep(dir)).isEmpty();
        assertThat(dir.resolve("z")).exists();
        Sweeper all = new Sweeper(name -> true, (entry, name) -> true, Sweeper.FILE);
        assertThat(all.sweep(dir.resolve("missing"))).isEmpty();
    }
}
