package org.multiprocessing4j;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The pool blames the task that was running when its worker died, not the first one it has no
 * answer for: a worker sends results on a writer thread, so a task can have finished, its result not
 * yet written, while the next task kills the JVM. The worker's results are held back here by a test
 * hook ({@code -Dmp4j.test.holdResults=FILE}: no result is written while FILE exists), which makes
 * that window as wide as the test needs.
 */
class PoolBlameIT extends ProcessTestSupport {
    @TempDir
    Path dir;

    enum Death {
        HALT(13), SIGKILL_ITSELF(-9);

        final int exitCode;

        Death(int exitCode) {
            this.exitCode = exitCode;
        }
    }

    static long pid() {
        return ProcessHandle.current().pid();
    }

    static void append(String file, String line) {
        try {
            Files.writeString(Path.of(file), line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    /** Notes its run and its pid, then kills its own JVM. */
    static Long die(Death death, String runs, String pidFile) throws Exception {
        append(runs, Long.toString(pid()));
        write(pidFile, Long.toString(pid()));
        switch (death) {
            case HALT -> Runtime.getRuntime().halt(13);
            case SIGKILL_ITSELF -> {
                new ProcessBuilder("kill", "-9", Long.toString(pid())).start().waitFor();
                sleep(Duration.ofSeconds(300));
            }
        }
        throw new AssertionError(death + " did not end the worker");
    }

    /** A one-worker pool whose results wait while {@code hold} exists; warmed so it takes many tasks at once. */
    private ProcessPool heldPool(Path hold) {
        ProcessPool pool = Multiprocessing.local().poolBuilder().processes(1)
                .jvmOptions("-Dmp4j.test.holdResults=" + hold).build();
        List<CompletableFuture<Integer>> warm = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            warm.add(pool.applyAsync(() -> 1));
        }
        warm.forEach(CompletableFuture::join);
        return pool;
    }

    private static long awaitPid(Path pidFile) {
        awaitCondition("the task starts", Duration.ofSeconds(60), () -> Files.exists(pidFile) && !read(pidFile).isEmpty());
        return Long.parseLong(read(pidFile).trim());
    }

    @ParameterizedTest
    @EnumSource(Death.class)
    void aTaskThatKillsItsWorkerRightAfterAnotherFinishedIsTheOneThatFailsAndTheOtherRunsAgain(Death death)
            throws Exception {
        Path hold = dir.resolve("hold");
        String aRuns = dir.resolve("a.runs").toString();
        String bRuns = dir.resolve("b.runs").toString();
        String pidFile = dir.resolve("b.pid").toString();
        try (ProcessPool pool = heldPool(hold)) {
            Files.createFile(hold);
            CompletableFuture<Long> a = pool.applyAsync(() -> {
                append(aRuns, Long.toString(pid()));
                return pid();
            });
            CompletableFuture<Long> b = pool.applyAsync(() -> die(death, bRuns, pidFile));
            long worker = awaitPid(Path.of(pidFile));
            ProcessHandle.of(worker).ifPresent(h -> h.onExit().orTimeout(60, SECONDS).join());
            Files.delete(hold); // the dead worker never wrote a's result; the next one may write

            Throwable thrown = catchThrowable(() -> b.get(60, SECONDS));
            assertThat(thrown).as("the task that killed its worker").isInstanceOf(ExecutionException.class);
            assertThat(thrown.getCause()).isInstanceOf(WorkerLostException.class);
            WorkerLostException lost = (WorkerLostException) thrown.getCause();
            assertThat(lost.pid()).isEqualTo(worker);
            assertThat(lost.exitCode()).as(lost.getMessage()).isEqualTo(death.exitCode);

            assertThat(a.get(60, SECONDS)).as("the task that had finished, run again by another worker")
                    .isNotEqualTo(worker);
            assertThat(lines(Path.of(aRuns))).as("a's runs: its first result died with the worker")
                    .containsExactly(Long.toString(worker), Long.toString(a.join()));
            assertThat(lines(Path.of(bRuns))).as("b's runs: never again after it killed its worker")
                    .containsExactly(Long.toString(worker));
            assertThat(pool.applyAsync(() -> 7).get(60, SECONDS)).as("the pool goes on").isEqualTo(7);
        } finally {
            Files.deleteIfExists(hold);
        }
    }

    static Integer block(String pidFile) {
        write(pidFile, Long.toString(pid()));
        sleep(Duration.ofSeconds(300));
        throw new AssertionError("a blocked task was not stopped");
    }

    @Test
    void shutdownNowReturnsTheTasksThatNeverStartedAndNotTheRunningOne() throws Exception {
        Path hold = dir.resolve("hold");
        String pidFile = dir.resolve("running.pid").toString();
        ProcessPool pool = heldPool(hold);
        try {
            Files.createFile(hold);
            CompletableFuture<Integer> finished = pool.applyAsync(() -> 1);
            CompletableFuture<Integer> running = pool.applyAsync(() -> block(pidFile));
            List<CompletableFuture<Integer>> waiting = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                waiting.add(pool.applyAsync(() -> 2));
            }
            awaitPid(Path.of(pidFile));

            List<Runnable> neverStarted = pool.shutdownNow();

            assertThat(neverStarted).as("the tasks that never started, and only they")
                    .containsExactlyInAnyOrderElementsOf(waiting.stream().map(f -> (Runnable) f).toList());
            assertThat(running.isCancelled()).as("the running task is cancelled").isTrue();
            assertThat(pool.awaitTermination(60, SECONDS)).isTrue();
            assertThat(finished.isDone()).as("the finished task, its result lost with the worker").isTrue();
            assertThat(neverStarted).doesNotContain((Runnable) finished);
            ((Runnable) waiting.get(0)).run();
            assertThat(waiting.get(0).get(0, SECONDS)).as("a returned task runs in the caller").isEqualTo(2);
        } finally {
            pool.shutdownNow();
            Files.deleteIfExists(hold);
        }
    }
}
