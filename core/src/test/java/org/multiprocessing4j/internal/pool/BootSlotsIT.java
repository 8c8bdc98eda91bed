package org.multiprocessing4j.internal.pool;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessPool;

/**
 * A pool boots at most half the cores' worth of workers at once ({@code WorkerSupervisor}'s boot
 * slots): every slot comes back, from workers that say hello and from workers that die first, through
 * dozens of starts, and the pool never waits on a slot nobody holds.
 */
class BootSlotsIT {
    @TempDir
    Path dir;

    @Test
    void everyBootSlotComesBackThroughDozensOfStartsAndAWorkerThatDiesBooting() throws Exception {
        String marker = dir.resolve("first-worker-died").toString();
        String before = System.getProperty("mp4j.cpuCount");
        System.setProperty("mp4j.cpuCount", "2"); // one slot, whatever this machine has
        try (ProcessPool pool = Multiprocessing.local().poolBuilder().processes(3).maxTasksPerChild(1)
                .initializer(() -> dieIfFirst(marker)).build()) {
            LocalPool local = (LocalPool) pool;
            List<CompletableFuture<Long>> pids = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                pids.add(pool.applyAsync(() -> ProcessHandle.current().pid()));
            }
            Set<Long> distinct = new HashSet<>();
            for (CompletableFuture<Long> pid : pids) {
                distinct.add(pid.get(120, SECONDS));
            }
            assertThat(distinct).as("one task per worker JVM").hasSize(40)
                    .doesNotContain(ProcessHandle.current().pid());
            assertThat(Path.of(marker)).as("the first worker died before its hello").exists();
            // the last replacements boot after the last task: once they have said hello, the slot is free
            long deadline = System.nanoTime() + SECONDS.toNanos(60);
            while (local.supervisor.freeBootSlots() != 1 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(local.supervisor.freeBootSlots()).as("the one slot, given back once").isEqualTo(1);
            assertThat(pool.apply(() -> 7)).isEqualTo(7);
        } finally {
            if (before == null) {
                System.clearProperty("mp4j.cpuCount");
            } else {
                System.setProperty("mp4j.cpuCount", before);
            }
        }
    }

    /** The pool's initializer: the first worker to run it dies there, before it says hello. */
    private static void dieIfFirst(String marker) {
        try {
            Files.createFile(Path.of(marker));
        } catch (FileAlreadyExistsException e) {
            return;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Runtime.getRuntime().halt(7);
    }
}
