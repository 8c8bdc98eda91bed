package org.multiprocessing4j.internal.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessEvent;
import org.multiprocessing4j.ProcessTestSupport;
import org.junit.jupiter.api.Test;

/**
 * The process table stays bounded when children are killed: a child killed with {@code kill -9}
 * cannot remove its own file, so its parent removes it once it has seen the end.
 */
class ProcessTableIT extends ProcessTestSupport {
    private final Context ctx = Multiprocessing.local();

    @Test
    void theFilesOfChildrenKilledWithKill9AreRemovedByTheirParent() throws Exception {
        int n = 12;
        List<ChildProcess> children = new ArrayList<>();
        try (ProcessEvent never = ctx.event()) {
            List<ProcessEvent> running = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ProcessEvent up = ctx.event();
                running.add(up);
                children.add(ctx.process(() -> {
                    up.set(); // after the child registered: it does before its target runs
                    try {
                        never.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }).start());
            }
            List<Path> files = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                assertThat(running.get(i).await(Duration.ofSeconds(60))).as("child %d running", i).isTrue();
                Path file = ProcessTable.directory().resolve(Long.toString(children.get(i).pid()));
                assertThat(file).as("the table's file of a running child").exists();
                files.add(file);
            }
            for (ChildProcess child : children) {
                child.kill();
            }
            for (ChildProcess child : children) {
                child.join();
                assertThat(child.exitCode()).hasValue(-9);
            }
            // removed by the reaper just after join() returns: wait for it, bounded
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (files.stream().anyMatch(Files::exists) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(files).as("the files of the killed children").noneMatch(Files::exists);
            running.forEach(ProcessEvent::close);
        }
    }

    @Test
    void aFileThatNamesAnotherParentOrWasWrittenAfterTheEndIsKept() throws Exception {
        Path dir = ProcessTable.directory();
        Files.createDirectories(dir);
        long fakePid = 4_000_000_000L; // beyond any pid_max: nobody's
        Path file = dir.resolve(Long.toString(fakePid));
        try {
            StringBuilder text = new StringBuilder();
            ProcessTable.entry(text, "role", ProcessTable.CHILD);
            ProcessTable.entry(text, "parent", "1");
            ProcessTable.entry(text, "registered", "0");
            Files.writeString(file, text);
            ProcessTable.forgetEnded(fakePid, System.currentTimeMillis());
            assertThat(file).as("another parent's child").exists();

            text.setLength(0);
            ProcessTable.entry(text, "role", ProcessTable.CHILD);
            ProcessTable.entry(text, "parent", Long.toString(ProcessHandle.current().pid()));
            ProcessTable.entry(text, "registered", Long.toString(System.currentTimeMillis()));
            Files.writeString(file, text);
            ProcessTable.forgetEnded(fakePid, System.currentTimeMillis() - 60_000);
            assertThat(file).as("written after the end: a reused pid's").exists();

            ProcessTable.forgetEnded(fakePid, System.currentTimeMillis());
            assertThat(file).as("ours, written before the end").doesNotExist();
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
